package io.custops.campaign;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * HTTP peers of campaign-service on loopback, as they answer in production: the SMS, push and WeChat providers
 * (POST /sms, /push, /wechat with the provider token; told to fail with 503 or 400 a number of times) and the
 * profile service's contact lookup (POST /api/profiles/contacts, only with a service-role token). Tests drive and
 * read it over HTTP ({@code /control/...}), so it works across Quarkus' class loaders.
 */
final class ProviderStub {
    static final String PROVIDER_TOKEN = "test-provider-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, List<JsonNode>> received = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, Integer> failWith = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> contacts = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final Map<String, List<JsonNode>> tags = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> counted = new ConcurrentHashMap<>();
    /** Benchmark mode: any unknown customer has a push device, and providers only count what they receive. */
    private volatile boolean bench;
    private final HttpServer server;

    ProviderStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String channel : List.of("sms", "push", "wechat")) {
            server.createContext("/" + channel, exchange -> provider(channel, exchange));
        }
        server.createContext("/api/profiles/contacts", this::lookup);
        server.createContext("/api/profiles/", this::tags);
        server.createContext("/control/tags/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/control/tags/".length());
            send(exchange, 200, MAPPER.writeValueAsString(tags.getOrDefault(id, List.of())));
        });
        server.createContext("/control/contacts/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/control/contacts/".length());
            contacts.put(id, MAPPER.readTree(exchange.getRequestBody()));
            send(exchange, 204, "");
        });
        server.createContext("/control/received/", exchange -> {
            String channel = exchange.getRequestURI().getPath().substring("/control/received/".length());
            send(exchange, 200, MAPPER.writeValueAsString(received.getOrDefault(channel, List.of())));
        });
        server.createContext("/control/bench", exchange -> {
            bench = true;
            send(exchange, 204, "");
        });
        server.createContext("/control/count/", exchange -> {
            String channel = exchange.getRequestURI().getPath().substring("/control/count/".length());
            send(exchange, 200, String.valueOf(counted.getOrDefault(channel, new java.util.concurrent.atomic.AtomicLong()).get()));
        });
        server.createContext("/control/fail/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().substring("/control/fail/".length()).split("/");
            failWith.put(parts[0], Integer.parseInt(parts[1]));
            failures.computeIfAbsent(parts[0], c -> new AtomicInteger()).set(Integer.parseInt(parts[2]));
            send(exchange, 204, "");
        });
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread thread = new Thread(r, "provider-stub");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void provider(String channel, HttpExchange exchange) throws IOException {
        if (!("Bearer " + PROVIDER_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{}");
            return;
        }
        JsonNode body = MAPPER.readTree(exchange.getRequestBody());
        AtomicInteger failing = failures.get(channel);
        if (failing != null && failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, failWith.getOrDefault(channel, 503), "{}");
            return;
        }
        if (bench) {
            counted.computeIfAbsent(channel, c -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
        } else {
            received.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(body);
        }
        send(exchange, 202, "{}");
    }

    /** The profile service's tag change ({@code POST /api/profiles/{id}/tags}) with a service token; recorded per customer. */
    private void tags(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!path.endsWith("/tags") || authorization == null || !roles(authorization.substring(7)).contains("service")) {
            send(exchange, path.endsWith("/tags") ? 403 : 404, "{}");
            return;
        }
        String id = path.substring("/api/profiles/".length(), path.length() - "/tags".length());
        tags.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(MAPPER.readTree(exchange.getRequestBody()));
        send(exchange, 200, "[]");
    }

    /** The profile service's contract: a service token, 1–1000 ids, unknown ids listed apart. */
    private void lookup(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || !roles(authorization.substring(7)).contains("service")) {
            send(exchange, 403, "{}");
            return;
        }
        lookups.incrementAndGet();
        List<JsonNode> found = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (JsonNode id : MAPPER.readTree(exchange.getRequestBody()).path("customerIds")) {
            JsonNode contact = contacts.get(id.asText());
            if (contact == null && bench) {
                contact = MAPPER.valueToTree(Map.of("customerId", id.asText(), "deviceId", "device-" + id.asText(), "firstName", "Bench",
                        "locale", "en"));
            }
            if (contact == null) {
                unknown.add(id.asText());
            } else {
                found.add(contact);
            }
        }
        send(exchange, 200, MAPPER.writeValueAsString(Map.of("contacts", found, "unknown", unknown)));
    }

    private static List<String> roles(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            List<String> roles = new ArrayList<>();
            claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
            return roles;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
