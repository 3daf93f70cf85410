package io.custops.local.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

/**
 * Keycloak from its Maven Central distribution (no Docker), run in dev mode with the CustOps realm imported.
 * An instance already answering on the port with the custops realm is reused rather than started twice.
 */
public final class Keycloak implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Keycloak.class);
    public static final String VERSION = "26.5.6";
    public static final String REALM = "custops";
    public static final String REALM_RESOURCE = "keycloak/custops-realm.json";
    public static final String CONSOLE_CLIENT = "custops-console";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process; // null when an already running Keycloak is reused
    private final int port;

    private Keycloak(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Downloads (through Maven, so the local repository caches it) and unpacks Keycloak once; returns its home. */
    public static Path ensureInstalled() {
        Path dir = Workspace.root().resolve("deploy/local/target/keycloak");
        Path home = dir.resolve("keycloak-" + VERSION);
        if (Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            return home;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = dir.resolve("install.log");
        LOG.infof("installing Keycloak %s into %s (one-time download of ~164 MB; log: %s)", VERSION, dir, log);
        // run where there is no pom.xml: in the repository root Maven would run the goal once per module
        int fetched = run(List.of("mvn", "-q", "-B", "dependency:copy",
                "-Dartifact=org.keycloak:keycloak-quarkus-dist:" + VERSION + ":tar.gz",
                "-DoutputDirectory=" + dir), dir, log);
        Path tarball = dir.resolve("keycloak-quarkus-dist-" + VERSION + ".tar.gz");
        if (fetched != 0 || !Files.isRegularFile(tarball)) {
            throw new IllegalStateException("downloading Keycloak " + VERSION + " with Maven failed (is mvn on the PATH"
                    + " and Maven Central reachable?); see " + log);
        }
        int unpacked = run(List.of("tar", "-xzf", tarball.toString(), "-C", dir.toString()), dir, log);
        if (unpacked != 0 || !Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("unpacking " + tarball + " failed; see " + log);
        }
        return home;
    }

    /** Keycloak on {@code port} with realm {@value #REALM}: the running one if it answers, else a new dev-mode server. */
    public static Keycloak start(int port) {
        if (Net.listening("localhost", port)) {
            if (realmAnswers(port)) {
                LOG.infof("reusing the Keycloak already running on port %d", port);
                return new Keycloak(null, port);
            }
            throw new IllegalStateException("port " + port + " is in use, but not by a Keycloak serving realm " + REALM
                    + ": stop what listens there");
        }
        Path home = ensureInstalled();
        prepareImport(home);
        Path log = Workspace.runDir("keycloak").resolve("keycloak.log");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        // kc.sh appends JAVA_OPTS_APPEND after its defaults, so these heap limits win on a small machine
        env.put("JAVA_OPTS_APPEND", "-Xms64m -Xmx768m");
        // the same JDK as this launcher, whatever java the PATH would find
        env.put("JAVA_HOME", System.getProperty("java.home"));
        LOG.infof("starting Keycloak %s on port %d (log: %s)", VERSION, port, log);
        Process process = Processes.start(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port, "--import-realm"), home, log, env);
        Keycloak keycloak = new Keycloak(process, port);
        try {
            Net.await("Keycloak realm " + REALM + " on port " + port + " (log: " + log + ")", Duration.ofSeconds(180),
                    () -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Keycloak exited at start; see " + log);
                        }
                        return realmAnswers(port);
                    });
        } catch (RuntimeException e) {
            keycloak.close();
            throw e;
        }
        LOG.infof("Keycloak ready: %s", keycloak.issuer());
        return keycloak;
    }

    /**
     * Puts the realm file where {@code --import-realm} reads it, and drops the dev-mode database: import skips a
     * realm that already exists, so without a fresh database edits to the realm file would never take effect.
     */
    private static void prepareImport(Path home) {
        try (InputStream realm = Keycloak.class.getClassLoader().getResourceAsStream(REALM_RESOURCE)) {
            if (realm == null) {
                throw new IllegalStateException(REALM_RESOURCE + " is not on the classpath");
            }
            Path importDir = Files.createDirectories(home.resolve("data/import"));
            Files.copy(realm, importDir.resolve("custops-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            deleteRecursively(home.resolve("data/h2"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Keycloak realm import", e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public String issuer() {
        return url() + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** An access token for a realm user, by the password grant of the public console client. */
    public String passwordToken(String user, String password) {
        return token(Map.of("grant_type", "password", "client_id", CONSOLE_CLIENT, "username", user,
                "password", password));
    }

    /** An access token for a confidential client's service account. */
    public String clientCredentialsToken(String clientId, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    private String token(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request (" + form.get("grant_type") + ", client "
                        + form.get("client_id") + ") answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode token = JSON.readTree(response.body()).get("access_token");
            if (token == null || !token.isTextual()) {
                throw new IllegalStateException("token response without access_token: " + response.body());
            }
            return token.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("token request to " + tokenEndpoint() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted requesting a token", e);
        }
    }

    private static boolean realmAnswers(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/realms/" + REALM
                + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops a Keycloak this instance started; a reused one is left running. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        // kc.sh may run java as its child rather than exec it: signal the JVM itself too
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        Processes.stop(process);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }

    private static int run(List<String> command, Path workDir, Path log) {
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return process.waitFor();
        } catch (IOException e) {
            LOG.warnf("cannot run %s: %s", command.get(0), e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
