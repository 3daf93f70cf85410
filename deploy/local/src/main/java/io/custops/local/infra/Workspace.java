package io.custops.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository and the local stack's working directory ({@code deploy/local/target/run}). */
public final class Workspace {
    private Workspace() {
    }

    /** The repository root: {@code -Dcustops.root}, else the nearest parent holding {@code deploy/local}. */
    public static Path root() {
        String configured = System.getProperty("custops.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/local")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the CustOps repository above " + dir + "; set -Dcustops.root");
    }

    public static Path kafkaLib() {
        return root().resolve("deploy/local/kafka-broker/target/lib");
    }

    /** A fresh or existing directory under {@code deploy/local/target/run}. */
    public static Path runDir(String name) {
        Path dir = root().resolve("deploy/local/target/run").resolve(name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree; missing is fine. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
