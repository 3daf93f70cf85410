package io.custops.local.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.custops.local.infra.KafkaBroker;
import io.custops.local.infra.Net;
import io.custops.local.infra.Postgres;
import io.custops.local.infra.Workspace;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real infrastructure for a service's {@code @QuarkusTest}s: a fresh PostgreSQL database
 * ({@code <database>_test}), a real Kafka broker and the {@link OidcTestServer}.
 * <p>
 * The broker is started once per build when the environment names one ({@code CUSTOPS_TEST_KAFKA}, as the
 * test command does), else once per test JVM; topics are created up front. Values the tests need are also
 * published as system properties ({@code custops.test.*}), which work across class loaders.
 */
public class CustopsTestInfra implements QuarkusTestResourceLifecycleManager {
    public static final String KAFKA_PROPERTY = "custops.test.kafka";
    public static final String JDBC_PROPERTY = "custops.test.jdbc-url";

    private String database;
    private List<String> topics = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        if (database == null) {
            throw new IllegalArgumentException("CustopsTestInfra needs the resource argument 'database'");
        }
        String topicList = initArgs.getOrDefault("topics", "");
        topics = topicList.isBlank() ? List.of() : List.of(topicList.split(","));
    }

    @Override
    public Map<String, String> start() {
        Postgres postgres = Postgres.local();
        String testDatabase = database + "_test";
        postgres.recreateDatabase(testDatabase);
        System.setProperty(JDBC_PROPERTY, postgres.jdbcUrl(testDatabase));

        String kafka = kafka();
        List<String> allTopics = new ArrayList<>();
        for (String topic : topics) {
            allTopics.add(topic);
            allTopics.add(topic + ".dlq");
        }
        KafkaBroker.ensureTopics(kafka, allTopics);

        String issuer = OidcTestServer.ensureStarted();
        return Map.of(
                "custops.db.host", postgres.host(),
                "custops.db.port", String.valueOf(postgres.port()),
                "custops.db.name", testDatabase,
                "kafka.bootstrap.servers", kafka,
                "quarkus.oidc.auth-server-url", issuer,
                KAFKA_PROPERTY, kafka,
                JDBC_PROPERTY, postgres.jdbcUrl(testDatabase));
    }

    private static synchronized String kafka() {
        String shared = System.getenv("CUSTOPS_TEST_KAFKA");
        if (shared != null && !shared.isBlank()) {
            return shared;
        }
        String started = System.getProperty(KAFKA_PROPERTY);
        if (started != null) {
            return started;
        }
        Path dir = Workspace.runDir("test-kafka-" + ProcessHandle.current().pid());
        KafkaBroker broker = KafkaBroker.start(dir, Net.freePort());
        System.setProperty(KAFKA_PROPERTY, broker.bootstrapServers());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            Workspace.delete(dir);
        }));
        return broker.bootstrapServers();
    }

    @Override
    public void stop() {
        // the broker and the OIDC server live as long as the JVM, for the next application start
    }
}
