package io.custops.helm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

/**
 * The part of the OCI distribution API (Docker Registry HTTP API v2) a push needs, in memory on loopback over HTTPS
 * with a self-signed certificate (a client pushes to it as an insecure registry): blob uploads (monolithic or chunked,
 * cross-repository mounts) and manifests, which the test then reads back.
 */
final class LoopbackRegistry implements AutoCloseable {
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
    private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([0-9a-f-]{36})");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");

    record Manifest(String mediaType, byte[] body) {
    }

    private final com.sun.net.httpserver.HttpsServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

    LoopbackRegistry(java.nio.file.Path workDir) throws Exception {
        server = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(selfSigned(workDir)));
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A TLS context with a certificate for localhost made by the JDK's keytool. */
    private static javax.net.ssl.SSLContext selfSigned(java.nio.file.Path workDir) throws Exception {
        java.nio.file.Path store = workDir.resolve("registry.p12");
        String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit",
                "-dname", "CN=localhost", "-validity", "2", "-ext", "SAN=dns:localhost,ip:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    String address() {
        return "localhost:" + server.getAddress().getPort();
    }

    /** A pushed manifest by repository and tag, or null. */
    Manifest manifest(String repository, String tag) {
        return manifests.get(repository + ":" + tag);
    }

    /** Every repository:reference pushed. */
    java.util.Set<String> pushed() {
        return manifests.keySet();
    }

    byte[] blob(String digest) {
        return blobs.get(digest);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            Matcher m;
            if (path.equals("/v2/") || path.equals("/v2")) {
                respond(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8), Map.of("Docker-Distribution-API-Version", "registry/2.0"));
            } else if ((m = UPLOAD.matcher(path)).matches()) {
                ByteArrayOutputStream upload = uploads.get(m.group(2));
                if (upload == null) {
                    respond(exchange, 404, new byte[0], Map.of());
                    return;
                }
                upload.write(read(exchange.getRequestBody()));
                if ("PUT".equals(method)) {
                    String digest = param(query, "digest");
                    byte[] content = upload.toByteArray();
                    if (!digest.equals(digest(content))) {
                        respond(exchange, 400, new byte[0], Map.of());
                        return;
                    }
                    blobs.put(digest, content);
                    uploads.remove(m.group(2));
                    respond(exchange, 201, new byte[0], Map.of("Location", "/v2/" + m.group(1) + "/blobs/" + digest, "Docker-Content-Digest", digest));
                } else {
                    respond(exchange, 202, new byte[0], Map.of("Location", path, "Range", "0-" + Math.max(0, upload.size() - 1),
                            "Docker-Upload-UUID", m.group(2)));
                }
            } else if ((m = UPLOADS.matcher(path)).matches() && "POST".equals(method)) {
                String mount = param(query, "mount");
                if (mount != null && blobs.containsKey(mount)) {
                    respond(exchange, 201, new byte[0], Map.of("Location", "/v2/" + m.group(1) + "/blobs/" + mount, "Docker-Content-Digest", mount));
                    return;
                }
                String id = UUID.randomUUID().toString();
                uploads.put(id, new ByteArrayOutputStream());
                respond(exchange, 202, new byte[0], Map.of("Location", "/v2/" + m.group(1) + "/blobs/uploads/" + id, "Docker-Upload-UUID", id,
                        "Range", "0-0"));
            } else if ((m = BLOB.matcher(path)).matches()) {
                byte[] blob = blobs.get(m.group(2));
                if (blob == null) {
                    respond(exchange, 404, new byte[0], Map.of());
                } else {
                    exchange.getResponseHeaders().add("Docker-Content-Digest", m.group(2));
                    if ("HEAD".equals(method)) {
                        exchange.getResponseHeaders().add("Content-Length", String.valueOf(blob.length));
                        exchange.sendResponseHeaders(200, -1);
                    } else {
                        respond(exchange, 200, blob, Map.of());
                    }
                }
            } else if ((m = MANIFEST.matcher(path)).matches()) {
                String key = m.group(1) + ":" + m.group(2);
                if ("PUT".equals(method)) {
                    byte[] body = read(exchange.getRequestBody());
                    Manifest manifest = new Manifest(exchange.getRequestHeaders().getFirst("Content-Type"), body);
                    manifests.put(key, manifest);
                    manifests.put(m.group(1) + ":" + digest(body), manifest);
                    respond(exchange, 201, new byte[0], Map.of("Docker-Content-Digest", digest(body), "Location", path));
                } else {
                    Manifest manifest = manifests.get(key);
                    if (manifest == null) {
                        respond(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8), Map.of());
                    } else {
                        respond(exchange, 200, manifest.body(), Map.of("Content-Type", manifest.mediaType(), "Docker-Content-Digest",
                                digest(manifest.body())));
                    }
                }
            } else {
                respond(exchange, 404, new byte[0], Map.of());
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        boolean empty = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static String param(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name) && kv.length == 2) {
                return java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String digest(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
