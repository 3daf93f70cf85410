package io.custops.local.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * The PostgreSQL server CustOps uses locally: an already running server on {@code host:port}, or else the
 * machine's installed cluster, started with {@code pg_ctlcluster}. It provisions the {@code custops} role
 * (through the {@code postgres} OS account when the role is missing) and one database per service.
 */
public final class Postgres {
    private static final Logger LOG = Logger.getLogger(Postgres.class);
    public static final String USER = "custops";
    public static final String PASSWORD = "custops";

    private final String host;
    private final int port;

    private Postgres(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public static Postgres local() {
        return ensureRunning(System.getProperty("custops.db.host", "localhost"),
                Integer.getInteger("custops.db.port", 5432));
    }

    public static Postgres ensureRunning(String host, int port) {
        Postgres postgres = new Postgres(host, port);
        if (!Net.listening(host, port)) {
            postgres.startInstalledCluster();
        }
        postgres.ensureRole();
        return postgres;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public void ensureDatabase(String name) {
        execute("postgres", statement -> {
            try (var rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + identifier(name) + "'")) {
                if (!rs.next()) {
                    statement.execute("CREATE DATABASE " + identifier(name) + " OWNER " + USER);
                }
            }
        });
    }

    /** Drops (ending open sessions) and creates {@code name}: a clean database for a test run. */
    public void recreateDatabase(String name) {
        execute("postgres", statement -> {
            statement.execute("DROP DATABASE IF EXISTS " + identifier(name) + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + identifier(name) + " OWNER " + USER);
        });
    }

    private interface SqlWork {
        void run(Statement statement) throws SQLException;
    }

    private void execute(String database, SqlWork work) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            work.run(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private void ensureRole() {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD)) {
            return;
        } catch (SQLException e) {
            LOG.infof("role %s cannot log in (%s); creating it through the postgres OS account", USER, e.getMessage());
        }
        Path log = Workspace.runDir("postgres").resolve("provision.log");
        String sql = "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "') THEN "
                + "CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'; ELSE "
                + "ALTER ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'; END IF; END$$;";
        int exit = Processes.run(List.of("runuser", "-u", "postgres", "--", "psql", "-p", String.valueOf(port),
                "-v", "ON_ERROR_STOP=1", "-c", sql), log);
        if (exit != 0) {
            throw new IllegalStateException("cannot create the PostgreSQL role " + USER + " on " + host + ":" + port
                    + " (see " + log + "); create it yourself: CREATE ROLE custops LOGIN CREATEDB PASSWORD 'custops'");
        }
    }

    private void startInstalledCluster() {
        if (!"localhost".equals(host) && !"127.0.0.1".equals(host)) {
            throw new IllegalStateException("PostgreSQL is not reachable on " + host + ":" + port);
        }
        Path clusters = Path.of("/etc/postgresql");
        String version = null;
        try (var dirs = Files.list(clusters)) {
            version = dirs.map(p -> p.getFileName().toString()).filter(v -> Files.isDirectory(clusters.resolve(v).resolve("main")))
                    .sorted().reduce((a, b) -> b).orElse(null);
        } catch (Exception e) {
            // no installed cluster
        }
        if (version == null) {
            throw new IllegalStateException("PostgreSQL is not running on port " + port
                    + " and no installed cluster was found: run deploy/local/bin/setup-machine.sh");
        }
        LOG.infof("starting the installed PostgreSQL %s cluster", version);
        Path log = Workspace.runDir("postgres").resolve("pg_ctlcluster.log");
        int exit = Processes.run(List.of("pg_ctlcluster", version, "main", "start"), log);
        if (exit != 0) {
            throw new IllegalStateException("pg_ctlcluster " + version + " main start failed; see " + log);
        }
        Net.await("PostgreSQL on port " + port, Duration.ofSeconds(60), () -> Net.listening(host, port));
    }

    private static String identifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        return name;
    }
}
