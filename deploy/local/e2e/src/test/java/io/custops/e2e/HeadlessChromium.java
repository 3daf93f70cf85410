package io.custops.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol with the JDK's own HTTP and WebSocket clients, so the
 * browser test needs no driver download or extra dependency: {@code chromium} from the PATH (setup-machine.sh
 * installs it), or the binary named by the {@code CHROMIUM} environment variable.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts a fresh browser (its own throw-away profile) with a {@code width}×{@code height} window. */
    static HeadlessChromium start(Path log, int width, int height) {
        String binary = System.getenv().getOrDefault("CHROMIUM", "chromium");
        Path profile;
        try {
            profile = Files.createTempDirectory("custops-chromium");
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process;
        try {
            process = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars", "--lang=en-GB", "--window-size=" + width + "," + height,
                    // port 0: Chromium picks a free one and writes it to DevToolsActivePort in the profile
                    "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            deleteQuietly(profile);
            throw new IllegalStateException("cannot start " + binary + " (run deploy/local/bin/setup-machine.sh to install Chromium): " + e.getMessage(), e);
        }
        try {
            int port = devToolsPort(process, profile.resolve("DevToolsActivePort"), log);
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String page = Stream.of(JSON.treeToValue(targets, JsonNode[].class)).filter(t -> "page".equals(t.path("type").asText()))
                    .map(t -> t.path("webSocketDebuggerUrl").asText()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Chromium has no page target: " + targets));
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    message.append(data); // a screenshot arrives in many frames
                    if (last) {
                        self[0].received(message.toString());
                        message.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, profile, socket);
            self[0].call("Page.enable", Map.of());
            self[0].call("Runtime.enable", Map.of());
            return self[0];
        } catch (Exception e) {
            process.destroyForcibly();
            deleteQuietly(profile);
            throw new IllegalStateException("cannot connect to Chromium's DevTools (log: " + log + "): " + e.getMessage(), e);
        }
    }

    private static int devToolsPort(Process process, Path file, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Chromium wrote no DevToolsActivePort within 30 s");
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> future = pending.remove(message.get("id").asInt());
                if (future != null) {
                    future.complete(message);
                }
            }
        } catch (IOException e) {
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    /** Sends one DevTools command and returns its result; a protocol error fails. */
    JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        pending.put(id, future);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", JSON.valueToTree(params));
        try {
            socket.sendText(command.toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode response = future.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new IllegalStateException(method + " failed: " + response.get("error"));
            }
            return response.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    void navigate(String url) {
        JsonNode result = call("Page.navigate", Map.of("url", url));
        if (result.hasNonNull("errorText")) {
            throw new IllegalStateException("navigating to " + url + " failed: " + result.get("errorText").asText());
        }
    }

    /**
     * The value of a JavaScript expression in the current page (promises awaited, results by value). Fails on a
     * thrown exception, and while a navigation replaces the page (callers polling across a redirect retry).
     */
    JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + result.get("exceptionDetails").path("exception").path("description").asText(
                    result.get("exceptionDetails").toString()));
        }
        return result.path("result").path("value");
    }

    /** The same, or null when it fails (e.g. the page is between two documents). */
    JsonNode tryEvaluate(String expression) {
        try {
            return evaluate(expression);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** A PNG of the whole page, not only the window. */
    void screenshot(Path file) {
        JsonNode size = call("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        int width = (int) Math.ceil(size.path("width").asDouble());
        int height = (int) Math.ceil(size.path("height").asDouble());
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        // Chromium's helper processes (renderer, GPU, zygote) are its children: none may outlive the test
        List<ProcessHandle> helpers = process.descendants().toList();
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        helpers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        deleteQuietly(profile);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind is harmless
        }
    }
}
