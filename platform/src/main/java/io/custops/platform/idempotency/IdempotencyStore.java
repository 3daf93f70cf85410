package io.custops.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.custops.platform.problem.ProblemException;
import io.custops.platform.persistence.NativeSql;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code Idempotency-Key} support for retried POSTs (DESIGN.md §4): the first response to a key is stored in the
 * same transaction as the work, and a retry with the same key and body gets that response back without the
 * work being done again. The same key with a different body is refused with 422. Keys live for a day.
 */
@ApplicationScoped
public class IdempotencyStore {
    public static final String HEADER = "Idempotency-Key";

    private final Pool pool;

    public IdempotencyStore(Pool pool) {
        this.pool = pool;
    }

    /** A response kept for replay. */
    public record Stored(int status, String body) {
    }

    /** Checks the key's shape; a missing key is fine (the request is then not replayable). */
    public static Optional<String> validKey(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        if (key.length() > 255) {
            throw ProblemException.badRequest("The Idempotency-Key header is longer than 255 characters.", List.of());
        }
        return Optional.of(key);
    }

    public static String hash(String requestBody) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(requestBody.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** In the current transaction: the stored response for this key, if any. */
    public Uni<Optional<Stored>> find(String scope, String key, String requestHash) {
        return NativeSql.list("SELECT request_hash, status, body FROM idempotency_record WHERE scope = :scope AND key = :key",
                Object[].class, Map.of("scope", scope, "key", key))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return Optional.empty();
                    }
                    Object[] row = rows.get(0);
                    if (!requestHash.equals(row[0])) {
                        throw new ProblemException(422, "Unprocessable Content",
                                "This Idempotency-Key was already used with a different request body.");
                    }
                    return Optional.of(new Stored(((Number) row[1]).intValue(), (String) row[2]));
                });
    }

    /** In the current transaction: keeps the response for replays. */
    public Uni<Void> save(String scope, String key, String requestHash, int status, String body) {
        return NativeSql.execute("INSERT INTO idempotency_record (scope, key, request_hash, status, body)"
                + " VALUES (:scope, :key, :hash, :status, :body)",
                Map.of("scope", scope, "key", key, "hash", requestHash, "status", status, "body", body))
                .replaceWithVoid();
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return pool.query("DELETE FROM idempotency_record WHERE created_at < now() - interval '1 day'").execute()
                .replaceWithVoid();
    }
}
