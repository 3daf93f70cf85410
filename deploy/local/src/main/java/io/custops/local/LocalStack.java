package io.custops.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.Topics;
import io.custops.local.gateway.Gateway;
import io.custops.local.gateway.RouteTable;
import io.custops.local.infra.KafkaBroker;
import io.custops.local.infra.LocalMail;
import io.custops.local.infra.Keycloak;
import io.custops.local.infra.Net;
import io.custops.local.infra.Postgres;
import io.custops.local.infra.Processes;
import io.custops.local.infra.Workspace;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

/**
 * Runs CustOps on one machine without Docker: {@code up} starts the infrastructure, the five services and the
 * gateway; {@code infra} only PostgreSQL databases, Kafka and Keycloak (for running services from an IDE).
 * Everything it started is stopped on Ctrl-C; the machine's PostgreSQL is left running.
 */
public final class LocalStack {
    private static final Logger LOG = Logger.getLogger(LocalStack.class);

    public static final int GATEWAY_PORT = 8080;
    public static final int KEYCLOAK_PORT = 8180;
    public static final int KAFKA_PORT = 9092;
    public static final String KAFKA_BOOTSTRAP = "localhost:" + KAFKA_PORT;

    public record Service(String name, int port, String database) {
        public String url() {
            return "http://localhost:" + port;
        }
    }

    public static final List<Service> SERVICES = List.of(
            new Service("customer-profile-service", 8101, "custops_profile"),
            new Service("segmentation-service", 8102, "custops_segmentation"),
            new Service("campaign-service", 8103, "custops_campaign"),
            new Service("community-service", 8104, "custops_community"),
            new Service("evaluation-service", 8105, "custops_evaluation"));

    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    // what this launcher started, closed last-in first-out: gateway, services in reverse, Keycloak, Kafka
    private final Deque<Stoppable> started = new ArrayDeque<>();
    private final Map<String, Process> running = new java.util.concurrent.ConcurrentHashMap<>();
    private Postgres postgres;
    private boolean kafkaReused;
    private Keycloak keycloak;

    private interface Stoppable {
        String name();

        void stop();
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "up" : args[0];
        if (List.of("help", "-h", "--help").contains(command)) {
            usage();
            return;
        }
        if (!command.equals("up") && !command.equals("infra")) {
            System.err.println("unknown command: " + command);
            usage();
            System.exit(2);
        }
        LocalStack stack = new LocalStack();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "custops-shutdown"));
        try {
            if (command.equals("up")) {
                stack.up();
            } else {
                stack.infra();
                stack.printInfraBanner();
            }
        } catch (RuntimeException e) {
            LOG.debug("start failed", e);
            System.err.println();
            System.err.println("custops: " + e.getMessage());
            System.exit(1); // the shutdown hook stops whatever did start
        }
        System.out.println("Press Ctrl-C to stop.");
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usage() {
        System.out.println("""
                usage: LocalStack [up|infra]
                  up     PostgreSQL databases, Kafka, Keycloak, the five services and the gateway on :%d (default)
                  infra  only PostgreSQL databases, Kafka and Keycloak""".formatted(GATEWAY_PORT));
    }

    /** PostgreSQL databases, Kafka with the topics, Keycloak with the realm. */
    public void infra() {
        postgres = Postgres.local();
        for (Service service : SERVICES) {
            postgres.ensureDatabase(service.database());
        }
        LOG.infof("PostgreSQL on %s:%d, databases ready", postgres.host(), postgres.port());

        if (Net.listening("localhost", KAFKA_PORT)) {
            kafkaReused = true;
            LOG.infof("reusing the Kafka broker already listening on %s", KAFKA_BOOTSTRAP);
        } else {
            KafkaBroker broker = KafkaBroker.start(Workspace.runDir("kafka"), KAFKA_PORT);
            started.push(stoppable("Kafka", broker::close));
        }
        List<String> topics = new ArrayList<>(Topics.ALL);
        Topics.ALL.forEach(t -> topics.add(t + ".dlq"));
        KafkaBroker.ensureTopics(KAFKA_BOOTSTRAP, topics);
        LOG.infof("Kafka topics ready: %s", String.join(", ", topics));

        keycloak = Keycloak.start(KEYCLOAK_PORT);
        started.push(stoppable("Keycloak", keycloak::close));

        if (Net.listening("localhost", LocalMail.SMTP_PORT)) {
            LOG.infof("reusing the SMTP server already listening on port %d", LocalMail.SMTP_PORT);
        } else {
            LocalMail mail = LocalMail.start();
            started.push(stoppable("mail", mail::close));
        }
    }

    /** Infrastructure, the five services, then the gateway; prints the banner. */
    public void up() {
        Path root = Workspace.root();
        RouteTable routes = RouteTable.load();
        Map<String, Integer> servicePorts = new LinkedHashMap<>();
        SERVICES.forEach(s -> servicePorts.put(s.name(), s.port()));
        for (String service : routes.services()) {
            if (!servicePorts.containsKey(service)) {
                throw new IllegalStateException("gateway-routes.json routes to " + service + ", which the local stack"
                        + " does not run");
            }
        }
        // check every jar before starting anything, so a missing build fails in a second, not after Keycloak
        List<String> missing = new ArrayList<>();
        for (Service service : SERVICES) {
            if (!Files.isRegularFile(jar(root, service))) {
                missing.add(jar(root, service).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing " + String.join(", ", missing)
                    + ": run mvn -DskipTests package first (or ./custops up --build)");
        }

        infra();

        Map<Service, Process> processes = new LinkedHashMap<>();
        for (Service service : SERVICES) {
            Process process = startService(root, service);
            processes.put(service, process);
            running.put(service.name(), process);
            started.push(stoppable(service.name(), () -> Processes.stop(running.get(service.name()))));
        }
        // started all at once so their boots overlap; now wait for each to be ready
        for (Map.Entry<Service, Process> entry : processes.entrySet()) {
            awaitReady(entry.getKey(), entry.getValue());
        }

        Vertx vertx = Vertx.vertx();
        started.push(stoppable("Vert.x", () -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("closing Vert.x: %s", e.getMessage());
            }
        }));
        Gateway gateway = Gateway.start(vertx, GATEWAY_PORT, routes, servicePorts);
        started.push(stoppable("gateway", gateway::close));

        printUpBanner();
    }

    /**
     * Stops one service and starts it again, waiting until it is ready: what a crash and restart (or a rolling update)
     * does to it, for tests that prove work survives it.
     */
    public synchronized void restart(String name) {
        Service service = SERVICES.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
        Processes.stop(running.get(name));
        Process process = startService(Workspace.root(), service);
        running.put(name, process);
        awaitReady(service, process);
    }

    /** The running Keycloak, once {@link #infra()} has started it. */
    public Keycloak keycloak() {
        return keycloak;
    }

    private static Path jar(Path root, Service service) {
        return root.resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Process startService(Path root, Service service) {
        Path dir = Workspace.runDir(service.name());
        Path log = dir.resolve("service.log");
        List<String> command = List.of(Processes.java(), "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + service.port(),
                "-Dcustops.db.name=" + service.database(),
                "-Dkafka.bootstrap.servers=" + KAFKA_BOOTSTRAP,
                "-Dquarkus.oidc.auth-server-url=" + keycloak.issuer(),
                "-jar", jar(root, service).toString());
        LOG.infof("starting %s on port %d (log: %s)", service.name(), service.port(), log);
        return Processes.start(command, dir, log, Map.of());
    }

    private static void awaitReady(Service service, Process process) {
        Path log = Workspace.runDir(service.name()).resolve("service.log");
        URI ready = URI.create(service.url() + "/q/health/ready");
        Net.await(service.name() + " readiness at " + ready + " (log: " + log + ")", SERVICE_READY_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited with code " + process.exitValue()
                        + " at start; see " + log);
            }
            return answers200(ready);
        });
        LOG.infof("%s ready on %s", service.name(), service.url());
    }

    private static boolean answers200(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops what this launcher started, newest first. Runs once, from the shutdown hook. */
    public synchronized void stop() {
        while (!started.isEmpty()) {
            Stoppable s = started.pop();
            try {
                System.out.println("stopping " + s.name());
                s.stop();
            } catch (RuntimeException e) {
                System.err.println("stopping " + s.name() + " failed: " + e.getMessage());
            }
        }
    }

    private static Stoppable stoppable(String name, Runnable action) {
        return new Stoppable() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void stop() {
                action.run();
            }
        };
    }

    // ---- banners ----

    private String infraText() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("  Keycloak     %s   admin console %s/admin  (admin / admin)%n", keycloak.url(),
                keycloak.url()));
        out.append(String.format("               issuer %s%n", keycloak.issuer()));
        out.append(String.format("  Kafka        %s%s%n", KAFKA_BOOTSTRAP, kafkaReused ? "   (already running, reused)" : ""));
        out.append(String.format("  Mail         SMTP localhost:%d, read it over IMAP localhost:%d (login and password: the address)%n",
                LocalMail.SMTP_PORT, LocalMail.IMAP_PORT));
        out.append(String.format("  PostgreSQL   %s:%d   user %s / %s   databases %s%n", postgres.host(), postgres.port(),
                Postgres.USER, Postgres.PASSWORD,
                String.join(", ", SERVICES.stream().map(Service::database).toList())));
        return out.toString();
    }

    private void printInfraBanner() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nCustOps infrastructure is up%n%n"));
        out.append(infraText());
        out.append(String.format("%nStart a service against it with, e.g.:%n"));
        Service first = SERVICES.get(0);
        out.append(String.format("  java -Dquarkus.http.port=%d -Dcustops.db.name=%s -Dkafka.bootstrap.servers=%s "
                + "-Dquarkus.oidc.auth-server-url=%s -jar %s/target/quarkus-app/quarkus-run.jar%n%n", first.port(),
                first.database(), KAFKA_BOOTSTRAP, keycloak.issuer(), first.name()));
        out.append(usersTable());
        System.out.println(out);
    }

    private void printUpBanner() {
        String gateway = "http://localhost:" + GATEWAY_PORT;
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n============================================================================%n"));
        out.append(String.format(" CustOps is up%n"));
        out.append(String.format("============================================================================%n%n"));
        out.append(String.format("  Gateway      %s   (all APIs; %s/healthz)%n%n", gateway, gateway));
        for (Service service : SERVICES) {
            out.append(String.format("  %-26s %s   %s/q/openapi   %s/q/health%n", service.name(), service.url(),
                    service.url(), service.url()));
        }
        out.append(String.format("%n"));
        out.append(infraText());
        out.append(String.format("%n"));
        out.append(usersTable());
        out.append(String.format("%nTry it:%n"));
        out.append(String.format("  TOKEN=$(curl -s -d grant_type=password -d client_id=%s -d username=integrator "
                + "-d password=integrator \\%n      %s | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')%n",
                Keycloak.CONSOLE_CLIENT, keycloak.tokenEndpoint()));
        out.append(String.format("  curl -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' "
                + "\\%n      -d '{\"identifiers\":[{\"type\":\"email\",\"value\":\"ada@example.com\"}],"
                + "\"firstName\":\"Ada\",\"source\":\"api\"}' %s/api/profiles%n", gateway));
        out.append(String.format("%n  Machine clients use client credentials: client custops-integrator, "
                + "secret integrator-secret.%n"));
        out.append(String.format("  Logs: %s%n", Workspace.root().resolve("deploy/local/target/run")));
        System.out.println(out);
    }

    /** The demo users with their passwords and roles, read from the realm file so the banner cannot drift. */
    private static String usersTable() {
        StringBuilder out = new StringBuilder(String.format("  Demo users (realm %s)%n", Keycloak.REALM));
        out.append(String.format("    %-12s %-12s %s%n", "user", "password", "roles"));
        try (InputStream in = LocalStack.class.getClassLoader().getResourceAsStream(Keycloak.REALM_RESOURCE)) {
            if (in == null) {
                return out.append("    (realm file not on the classpath)\n").toString();
            }
            JsonNode realm = new ObjectMapper().readTree(in);
            for (JsonNode user : realm.path("users")) {
                JsonNode credentials = user.path("credentials");
                if (!credentials.isArray() || credentials.isEmpty()) {
                    continue; // service accounts have no password
                }
                List<String> roles = new ArrayList<>();
                user.path("realmRoles").forEach(r -> roles.add(r.asText()));
                String extra = "";
                JsonNode customerId = user.path("attributes").path("customer_id");
                if (customerId.isArray() && !customerId.isEmpty()) {
                    extra = "   customer_id " + customerId.get(0).asText();
                }
                out.append(String.format("    %-12s %-12s %s%s%n", user.path("username").asText(),
                        credentials.get(0).path("value").asText(), String.join(", ", roles), extra));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + Keycloak.REALM_RESOURCE, e);
        }
        return out.toString();
    }
}
