package io.berth.agent.awsvpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An image of one executable, {@code /<name>}, that is its entry point, written as the archive {@code docker save}
 * makes and {@code POST /images/load} takes: a layer tarball, the image configuration and the manifest that tags it.
 * The same inputs always give the same bytes, hence the same image id.
 */
final class ImageArchive {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EPOCH = "1970-01-01T00:00:00Z";
    private static final int BLOCK = 512;

    private ImageArchive() {
    }

    static byte[] of(String tag, String architecture, String name, byte[] executable) {
        byte[] layer = tar(new Entry(name, 0755, executable));
        String layerDigest = sha256(layer);
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.put("created", EPOCH);
        config.putObject("config").putArray("Entrypoint").add("/" + name);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add("sha256:" + layerDigest);
        config.putArray("history").addObject().put("created", EPOCH).put("created_by", "berth agent");
        byte[] configBytes = json(config);
        String configFile = sha256(configBytes) + ".json";
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("Config", configFile);
        manifest.putArray("RepoTags").add(tag);
        manifest.putArray("Layers").add(layerDigest + "/layer.tar");
        byte[] manifestBytes = json(JSON.createArrayNode().add(manifest));
        return tar(new Entry(layerDigest + "/layer.tar", 0644, layer), new Entry(configFile, 0644, configBytes),
                new Entry("manifest.json", 0644, manifestBytes));
    }

    private record Entry(String name, int mode, byte[] content) {
    }

    /** A ustar archive of regular files owned by root, dated the epoch. */
    private static byte[] tar(Entry... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            byte[] header = new byte[BLOCK];
            put(header, 0, entry.name(), 100);
            put(header, 100, octal(entry.mode(), 7), 8);
            put(header, 108, octal(0, 7), 8);
            put(header, 116, octal(0, 7), 8);
            put(header, 124, octal(entry.content().length, 11), 12);
            put(header, 136, octal(0, 11), 12);
            Arrays.fill(header, 148, 156, (byte) ' ');
            header[156] = '0';
            put(header, 257, "ustar", 6);
            put(header, 263, "00", 2);
            int sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, octal(sum, 6), 7);
            out.writeBytes(header);
            out.writeBytes(entry.content());
            out.writeBytes(new byte[padded(entry.content().length) - entry.content().length]);
        }
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private static int padded(int size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static String octal(long value, int digits) {
        String text = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - text.length())) + text;
    }

    private static void put(byte[] header, int at, String text, int length) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > length) {
            throw new IllegalArgumentException("Too long for a tar header: " + text);
        }
        System.arraycopy(bytes, 0, header, at, bytes.length);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
