package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code berth --version} says which build runs, on which Java. */
class BerthVersionTest {

    @Test
    void versionIsTheOneTheBuildWroteWithTheJavaRuntime() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = new CommandLine(new Berth()).setOut(new PrintWriter(out));

        int exitCode = commandLine.execute("--version");

        assertThat(exitCode).isZero();
        assertThat(out.toString().strip()).isEqualTo("berth " + BerthVersion.version() + " (Java " + Runtime.version() + ")");
        assertThat(BerthVersion.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
