package io.custops.local.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal OpenID provider for per-service tests: it serves the discovery document and the JWKS of an RSA
 * key made at start, so services verify real signed tokens over HTTP exactly as they do against Keycloak, and the
 * client-credentials grant of the service client, so services get tokens for their calls to each other.
 * Its issuer URL and private key are published as system properties, which {@link TestTokens} reads.
 */
public final class OidcTestServer {
    public static final String ISSUER_PROPERTY = "custops.test.oidc.issuer";
    public static final String KEY_PROPERTY = "custops.test.oidc.jwk";
    /** The realm's client for service-to-service calls and its secret (deploy/local keycloak/custops-realm.json). */
    public static final String SERVICE_CLIENT = "custops-service";
    public static final String SERVICE_SECRET = "service-secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OidcTestServer() {
    }

    /** Starts the provider once per JVM; returns the issuer URL (also the OIDC auth-server-url). */
    public static synchronized String ensureStarted() {
        String issuer = System.getProperty(ISSUER_PROPERTY);
        if (issuer != null) {
            return issuer;
        }
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("custops-test-key");
            key.setAlgorithm("RS256");
            key.setUse("sig");
            noDelay();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/custops";
            String jwks = "{\"keys\":[" + key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY) + "]}";
            String discovery = MAPPER.writeValueAsString(Map.of(
                    "issuer", base,
                    "jwks_uri", base + "/protocol/openid-connect/certs",
                    "token_endpoint", base + "/protocol/openid-connect/token",
                    "authorization_endpoint", base + "/protocol/openid-connect/auth",
                    "id_token_signing_alg_values_supported", new String[] { "RS256" }));
            server.createContext("/realms/custops/.well-known/openid-configuration", exchange -> send(exchange, discovery));
            server.createContext("/realms/custops/protocol/openid-connect/certs", exchange -> send(exchange, jwks));
            server.createContext("/realms/custops/protocol/openid-connect/token", OidcTestServer::token);
            server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "oidc-test-server");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            System.setProperty(KEY_PROPERTY, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            System.setProperty(ISSUER_PROPERTY, base);
            return base;
        } catch (IOException | JoseException e) {
            throw new IllegalStateException("cannot start the OIDC test server", e);
        }
    }

    /**
     * The client-credentials grant for the realm's confidential service client ({@link #SERVICE_CLIENT}, as in the
     * realm file): a token with realm role {@code service}, as services use for their calls to each other.
     */
    private static void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
            String[] basic = new String(java.util.Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            fields.put("client_id", java.net.URLDecoder.decode(basic[0], StandardCharsets.UTF_8));
            fields.put("client_secret", basic.length > 1 ? java.net.URLDecoder.decode(basic[1], StandardCharsets.UTF_8) : "");
        }
        if (!"client_credentials".equals(fields.get("grant_type")) || !SERVICE_CLIENT.equals(fields.get("client_id"))
                || !SERVICE_SECRET.equals(fields.get("client_secret"))) {
            send(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = TestTokens.withRoles("service").subject("service-account-" + SERVICE_CLIENT).sign();
        send(exchange, 200, MAPPER.writeValueAsString(Map.of("access_token", token, "token_type", "Bearer", "expires_in", 300)));
    }

    /**
     * Test servers on loopback answer without Nagle's delay: the JDK server writes headers and body apart, and a
     * keep-alive client would wait out the 40 ms delayed acknowledgement on every request. Set before the first
     * JDK HTTP server starts in this JVM (the server reads it once).
     */
    public static void noDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static void send(HttpExchange exchange, String json) throws IOException {
        send(exchange, 200, json);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
