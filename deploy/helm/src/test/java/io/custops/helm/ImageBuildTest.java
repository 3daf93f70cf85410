package io.custops.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A service image built the way {@code ./custops images} builds them — Quarkus's Jib extension, no Docker daemon —
 * and pushed to a registry on loopback, under the name and tag the chart pulls (custops/&lt;service&gt;:&lt;version&gt;).
 * The base image is a small local tarball instead of the UBI OpenJDK image, which cannot be downloaded here.
 */
class ImageBuildTest {
    private static final Path ROOT = Path.of(System.getProperty("custops.root", "../..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aServiceImageIsBuiltWithoutADaemonAndPushedUnderTheNameTheChartPulls(@TempDir Path dir) throws Exception {
        Path base = baseImage(dir.resolve("base.tar"));
        Path log = dir.resolve("build.log");
        try (LoopbackRegistry registry = new LoopbackRegistry(dir)) {
            String maven = Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn").toString();
            Process build = new ProcessBuilder(maven, "-B", "-q", "-o", "package", "-DskipTests", "-pl", "evaluation-service", "-am",
                    "-Dquarkus.container-image.build=true", "-Dquarkus.container-image.push=true",
                    "-Dquarkus.container-image.registry=" + registry.address(), "-Dquarkus.container-image.insecure=true",
                    "-Dquarkus.jib.base-jvm-image=tar://" + base)
                    .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = build.waitFor(15, TimeUnit.MINUTES);
            if (!finished) {
                build.destroyForcibly();
            }
            String output = Files.readString(log);
            if (!finished || build.exitValue() != 0) {
                throw new AssertionError("the image build failed:\n" + tail(output));
            }

            String version = new String(Files.readAllBytes(ROOT.resolve("pom.xml")), StandardCharsets.UTF_8)
                    .replaceAll("(?s).*?<artifactId>custops-parent</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
            LoopbackRegistry.Manifest manifest = registry.manifest("custops/evaluation-service", version);
            assertThat(manifest).as(() -> "custops/evaluation-service:" + version + " among " + registry.pushed()).isNotNull();
            JsonNode image = JSON.readTree(manifest.body());
            assertThat(image.path("layers").size()).as("base layer plus the application's layers").isGreaterThan(2);
            for (JsonNode layer : image.path("layers")) {
                assertThat(registry.blob(layer.path("digest").asText())).as("layer " + layer.path("digest").asText()).isNotNull();
            }
            JsonNode config = JSON.readTree(registry.blob(image.at("/config/digest").asText())).path("config");
            assertThat(config.path("User").asText()).isEqualTo("185"); // the chart's runAsUser
            assertThat(config.path("ExposedPorts").properties().stream().map(java.util.Map.Entry::getKey)).containsExactly("8080/tcp");
            assertThat(config.path("Env").toString()).contains("QUARKUS_HTTP_PORT=8080"); // the chart's containerPort
        }
    }

    /** A one-layer image in the `docker save` layout, standing in for the JDK base image. */
    private static Path baseImage(Path target) throws IOException {
        byte[] layer = tar(List.of(new Entry("etc/custops-test-base", "a stand-in base image\n".getBytes(StandardCharsets.UTF_8))));
        String diffId = LoopbackRegistry.digest(layer);
        byte[] config = """
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/bin:/usr/bin:/bin"]},
                 "rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created_by":"test"}]}""".formatted(diffId)
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"custops/test-base:1\"],\"Layers\":[\"layer.tar\"]}]"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(target, tar(List.of(new Entry("manifest.json", manifest), new Entry("config.json", config), new Entry("layer.tar", layer))));
        return target;
    }

    private record Entry(String name, byte[] content) {
    }

    /** A POSIX ustar archive of regular files. */
    private static byte[] tar(List<Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            byte[] header = new byte[512];
            put(header, 0, entry.name(), 100);
            put(header, 100, "0000644", 8);
            put(header, 108, "0000000", 8);
            put(header, 116, "0000000", 8);
            put(header, 124, String.format("%011o", entry.content().length), 12);
            put(header, 136, String.format("%011o", 0L), 12);
            java.util.Arrays.fill(header, 148, 156, (byte) ' ');
            header[156] = '0';
            put(header, 257, "ustar", 6);
            put(header, 263, "00", 2);
            int sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum), 7);
            header[155] = ' ';
            out.write(header);
            out.write(entry.content());
            int pad = (512 - entry.content().length % 512) % 512;
            out.write(new byte[pad]);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String value, int length) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
    }

    private static String tail(String output) {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }
}
