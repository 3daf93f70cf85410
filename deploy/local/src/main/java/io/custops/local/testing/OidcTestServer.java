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
 * key made at start, so services verify real signed tokens over HTTP exactly as they do against Keycloak.
 * Its issuer URL and private key are published as system properties, which {@link TestTokens} reads.
 */
public final class OidcTestServer {
    public static final String ISSUER_PROPERTY = "custops.test.oidc.issuer";
    public static final String KEY_PROPERTY = "custops.test.oidc.jwk";
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

    private static void send(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
