package io.berth.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** What {@code berth --version} prints: the version this build was made as, and the Java runtime it runs on. */
final class BerthVersion implements CommandLine.IVersionProvider {

    /** The project's version, written into a resource by the build. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = BerthVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the version of this build", e);
        }
        return properties.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"berth " + version() + " (Java " + Runtime.version() + ")"};
    }
}
