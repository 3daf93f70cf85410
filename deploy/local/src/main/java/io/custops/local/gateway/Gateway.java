package io.custops.local.gateway;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.jboss.logging.Logger;

/**
 * The local API gateway: a streaming reverse proxy (Vert.x 4 core) that sends each request to the service whose
 * prefix in {@link RouteTable} covers its path, like the Helm chart's HTTPRoutes do in Kubernetes.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Gateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    // RFC 9110 §7.6.1 connection-specific headers: they describe one hop and must not be forwarded.
    // Expect is dropped too: the gateway answers 100-continue itself, upstream gets the whole body.
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect");

    private final HttpServer server;
    private final HttpClient client;

    private Gateway(HttpServer server, HttpClient client) {
        this.server = server;
        this.client = client;
    }

    /** Starts the gateway on {@code port} (0 = any free port) and waits until it listens. */
    public static Gateway start(Vertx vertx, int port, RouteTable routes, Map<String, Integer> servicePorts) {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setDefaultHost("localhost").setConnectTimeout(5_000).setKeepAlive(true)
                        .setDecompressionSupported(false),
                // the default pool (5 connections per service) would serialise a load test through the gateway
                new PoolOptions().setHttp1MaxSize(64));
        Map<String, Integer> ports = Map.copyOf(servicePorts);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setPort(port)
                .setHandle100ContinueAutomatically(true).setCompressionSupported(false))
                .requestHandler(request -> handle(request, routes, ports, client));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("the gateway cannot listen on port " + port + ": " + rootMessage(e), e);
        }
        LOG.infof("gateway listening on http://localhost:%d", server.actualPort());
        return new Gateway(server, client);
    }

    public int port() {
        return server.actualPort();
    }

    private static void handle(HttpServerRequest request, RouteTable routes, Map<String, Integer> ports,
            HttpClient client) {
        String path = request.path();
        HttpMethod method = request.method();
        if ("/healthz".equals(path) && (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
            request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
            return;
        }
        Optional<RouteTable.Route> route = routes.match(path);
        if (route.isEmpty()) {
            problem(request.response(), 404, "Not Found", "No service serves " + path);
            return;
        }
        String service = route.get().service();
        Integer servicePort = ports.get(service);
        if (servicePort == null) {
            problem(request.response(), 502, "Bad Gateway", "No port is configured for " + service);
            return;
        }
        // hold the body until the upstream request exists, or the first chunks would be lost
        request.pause();
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("localhost")
                .setPort(servicePort).setURI(request.uri());
        client.request(options)
                .onSuccess(upstream -> forward(request, upstream, service))
                .onFailure(e -> unreachable(request, service, e));
    }

    private static void forward(HttpServerRequest request, HttpClientRequest upstream, String service) {
        MultiMap headers = upstream.headers();
        copyHeaders(request.headers(), headers);
        addForwardedHeaders(request, headers);
        HttpServerResponse response = request.response();
        // a client that goes away cancels the upstream exchange instead of leaving it running
        response.closeHandler(v -> upstream.reset());

        upstream.response()
                .onSuccess(upstreamResponse -> relay(request, upstreamResponse, service))
                .onFailure(e -> unreachable(request, service, e));

        boolean hasBody = request.headers().contains("Content-Length")
                || request.headers().contains("Transfer-Encoding");
        if (!hasBody) {
            upstream.end();
            request.resume();
            return;
        }
        if (!request.headers().contains("Content-Length")) {
            upstream.setChunked(true);
        }
        request.pipeTo(upstream).onFailure(e -> upstream.reset());
    }

    private static void relay(HttpServerRequest request, HttpClientResponse upstreamResponse, String service) {
        HttpServerResponse response = request.response();
        response.setStatusCode(upstreamResponse.statusCode());
        if (upstreamResponse.statusMessage() != null) {
            response.setStatusMessage(upstreamResponse.statusMessage());
        }
        copyHeaders(upstreamResponse.headers(), response.headers());
        int status = upstreamResponse.statusCode();
        boolean bodiless = HttpMethod.HEAD.equals(request.method()) || status == 204 || status == 304
                || (status >= 100 && status < 200);
        if (bodiless) {
            upstreamResponse.end().onComplete(ar -> response.end());
            return;
        }
        if (!response.headers().contains("Content-Length")) {
            response.setChunked(true);
        }
        // a failure mid-body must not end the response normally: the client would take a truncated body as whole
        upstreamResponse.pipe().endOnFailure(false).to(response).onFailure(e -> {
            LOG.debugf("response from %s broke off: %s", service, e.getMessage());
            if (!response.headWritten()) {
                unreachable(request, service, e);
            } else {
                request.connection().close();
            }
        });
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        Set<String> listedInConnection = new HashSet<>();
        for (String value : from.getAll("Connection")) {
            for (String token : value.split(",")) {
                listedInConnection.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || listedInConnection.contains(name) || name.equals("host")) {
                continue;
            }
            to.add(header.getKey(), header.getValue());
        }
    }

    private static void addForwardedHeaders(HttpServerRequest request, MultiMap headers) {
        SocketAddress remote = request.remoteAddress();
        String client = remote == null ? null : remote.hostAddress();
        if (client != null) {
            String prior = request.getHeader("X-Forwarded-For");
            headers.set("X-Forwarded-For", prior == null || prior.isBlank() ? client : prior + ", " + client);
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        headers.set("X-Forwarded-Proto", proto != null ? proto : request.isSSL() ? "https" : "http");
        String forwardedHost = request.getHeader("X-Forwarded-Host");
        String host = forwardedHost != null ? forwardedHost : request.getHeader("Host");
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
        }
    }

    private static void unreachable(HttpServerRequest request, String service, Throwable e) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        LOG.debugf("%s %s → %s failed: %s", request.method(), request.uri(), service, e.getMessage());
        request.resume();
        // drop whatever upstream headers were copied before the failure
        response.headers().clear();
        problem(response, 502, "Bad Gateway", service + " is not reachable: " + rootMessage(e));
    }

    private static void problem(HttpServerResponse response, int status, String title, String detail) {
        ObjectNode body = JSON.createObjectNode().put("type", "about:blank").put("title", title).put("status", status)
                .put("detail", detail);
        response.setChunked(false);
        response.setStatusCode(status).putHeader("Content-Type", "application/problem+json").end(body.toString());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @Override
    public void close() {
        await(server.close());
        await(client.close());
    }

    private static void await(Future<Void> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("gateway close: %s", e.getMessage());
        }
    }
}
