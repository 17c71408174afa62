package io.berth.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The package this build made, read with dpkg-deb. */
record BuiltDeb(Path file) {

    /** The one {@code berth_<version>_all.deb} in the module's build directory. */
    static BuiltDeb find() throws IOException {
        Path dir = Path.of(System.getProperty("berth.dist", "target"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("berth_.*_all\\.deb")).toList();
            if (debs.size() != 1) {
                throw new IllegalStateException("Expected one berth_*_all.deb in " + dir + ", found " + debs);
            }
            return new BuiltDeb(debs.getFirst());
        }
    }

    /** The fields of the control file, continuation lines joined. */
    Map<String, String> control() throws IOException, InterruptedException {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : Shell.output("dpkg-deb", "--field", file.toString()).split("\n")) {
            if (line.startsWith(" ") && last != null) {
                fields.merge(last, "\n" + line.substring(1), String::concat);
            } else if (line.contains(":")) {
                last = line.substring(0, line.indexOf(':'));
                fields.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return fields;
    }

    /** One control member, such as {@code conffiles} or {@code postinst}. */
    String controlFile(String name) throws IOException, InterruptedException {
        return Shell.output("dpkg-deb", "--info", file.toString(), name);
    }

    /** Each path the package installs (without the leading "."), with its mode and owner as tar lists them. */
    Map<String, String> contents() throws IOException, InterruptedException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : Shell.output("dpkg-deb", "--contents", file.toString()).split("\n")) {
            String[] columns = line.strip().split("\\s+", 6);
            String path = columns[5].substring(1);
            entries.put(path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path,
                    columns[0] + " " + columns[1]);
        }
        return entries;
    }

    /** Unpacks the files into a directory, as dpkg would below {@code /}. */
    Path extract(Path root) throws IOException, InterruptedException {
        Shell.output("dpkg-deb", "--extract", file.toString(), root.toString());
        return root;
    }
}
