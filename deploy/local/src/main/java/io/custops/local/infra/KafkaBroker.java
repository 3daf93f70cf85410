package io.custops.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.jboss.logging.Logger;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), run from the Maven Central jars
 * in {@code deploy/local/kafka-broker/target/lib} as a child process.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaBroker.class);
    public static final int PARTITIONS = 6;

    private final Process process;
    private final String bootstrapServers;

    private KafkaBroker(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a fresh log directory under {@code dir} and starts a broker on {@code port}. */
    public static KafkaBroker start(Path dir, int port) {
        int controllerPort = Net.freePort();
        String classpath = Processes.classpathOf(Workspace.kafkaLib());
        Path data = dir.resolve("data");
        Path config = dir.resolve("server.properties");
        Path log = dir.resolve("kafka.log");
        Workspace.delete(data);
        try {
            Files.createDirectories(dir);
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://localhost:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + data,
                    "num.partitions=" + PARTITIONS,
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=6",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // StorageTool refuses --standalone when controller.quorum.voters is set: format without it.
        int formatted = Processes.run(List.of(Processes.java(), "-cp", classpath, "kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString()), log);
        if (formatted != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed; see " + log);
        }
        Process process = Processes.start(List.of(Processes.java(), "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", classpath, "kafka.Kafka", config.toString()), dir, log, Map.of());
        KafkaBroker broker = new KafkaBroker(process, "localhost:" + port);
        try {
            Net.await("Kafka on port " + port + " (log: " + log + ")", Duration.ofSeconds(90),
                    () -> { 
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Kafka exited at start; see " + log);
                        }
                        return broker.ready();
                    });
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.infof("Kafka broker ready on %s", broker.bootstrapServers);
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private boolean ready() {
        try (Admin admin = admin(bootstrapServers)) {
            admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates the topics that do not exist yet, with {@link #PARTITIONS} partitions each. */
    public static void ensureTopics(String bootstrapServers, Collection<String> topics) {
        try (Admin admin = admin(bootstrapServers)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, PARTITIONS, (short) 1)).collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + topics, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + topics, e);
        }
    }

    private static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(props);
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
