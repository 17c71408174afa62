package io.berth.agent.awsvpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** The pause program and the image archive it is loaded in (running it is {@code AwsvpcTasksTest}'s part). */
class PauseImageTest {

    @Test
    void thePauseProgramIsAStaticExecutableForItsMachineStartingAtItsCode() {
        for (PauseProgram program : PauseProgram.values()) {
            ByteBuffer elf = ByteBuffer.wrap(program.executable()).order(ByteOrder.LITTLE_ENDIAN);

            assertThat(elf.getInt(0)).as("magic").isEqualTo(0x464c457f);
            assertThat(elf.get(4)).as("64-bit").isEqualTo((byte) 2);
            assertThat(elf.getShort(16)).as("an executable").isEqualTo((short) 2);
            assertThat(elf.getShort(18)).isEqualTo(program == PauseProgram.X86_64 ? (short) 0x3E : (short) 0xB7);
            assertThat(elf.getLong(24)).as("entry point").isEqualTo(0x400000L + 64 + 56);
            assertThat(elf.getInt(64)).as("one loadable segment").isEqualTo(1);
            assertThat(elf.getLong(64 + 32)).as("the whole file").isEqualTo(program.executable().length);
        }
        assertThat(PauseProgram.X86_64.executable()).hasSizeLessThan(200);
    }

    @Test
    void theArchiveTagsAnImageWhoseOnlyLayerHoldsTheProgram() throws Exception {
        byte[] program = PauseProgram.X86_64.executable();

        Map<String, byte[]> entries = entries(ImageArchive.of("berth/pause:test", "amd64", "pause", program));

        JsonNode manifest = new ObjectMapper().readTree(entries.get("manifest.json")).get(0);
        assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo("berth/pause:test");
        byte[] config = entries.get(manifest.get("Config").asText());
        assertThat(manifest.get("Config").asText()).isEqualTo(sha256(config) + ".json");
        JsonNode image = new ObjectMapper().readTree(config);
        assertThat(image.get("architecture").asText()).isEqualTo("amd64");
        assertThat(image.get("config").get("Entrypoint").get(0).asText()).isEqualTo("/pause");
        byte[] layer = entries.get(manifest.get("Layers").get(0).asText());
        assertThat(image.get("rootfs").get("diff_ids").get(0).asText()).isEqualTo("sha256:" + sha256(layer));
        Map<String, byte[]> files = entries(layer);
        assertThat(files).containsOnlyKeys("pause");
        assertThat(files.get("pause")).isEqualTo(program);
    }

    @Test
    void theSameProgramAlwaysMakesTheSameArchive() {
        byte[] program = PauseProgram.ARM64.executable();

        assertThat(ImageArchive.of("berth/pause:test", "arm64", "pause", program))
                .isEqualTo(ImageArchive.of("berth/pause:test", "arm64", "pause", program));
    }

    private static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals("pause")) {
                    assertThat(entry.getMode() & 0777).isEqualTo(0755);
                }
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
