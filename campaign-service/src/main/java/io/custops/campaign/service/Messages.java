package io.custops.campaign.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.campaign.delivery.MessageRow;
import io.custops.campaign.rest.dto.MessageDtos.MessagePage;
import io.custops.campaign.rest.dto.MessageDtos.MessageView;
import io.custops.campaign.rest.dto.MessageDtos.SendRequest;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Queues messages and answers where they stand. The same message (customer and dedupe key) is queued at most once
 * while it is queued, sending or sent: a repeat is recorded as suppressed with reason {@code duplicate}.
 */
@ApplicationScoped
public class Messages {
    private static final String VIEW = "id, customer_id, channel, category, template_id, campaign_id, status, reason, not_before,"
            + " attempts, created_at, sent_at, opened_at, clicked_at, unsubscribed_at";

    private final Templates templates;
    private final EventOutbox outbox;
    private final Clock clock;

    public Messages(Templates templates, EventOutbox outbox, Clock clock) {
        this.templates = templates;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<MessageView> send(SendRequest request, String actor) {
        Instant now = Instant.now(clock);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw ProblemException.badRequest("A message is required.", List.of());
        }
        if (request.customerId() == null) {
            errors.add(new Problem.FieldError("customerId", "is required"));
        }
        if (request.templateId() == null) {
            errors.add(new Problem.FieldError("templateId", "is required"));
        }
        String data = Templates.sendData(request.data(), errors);
        if (request.dedupeKey() != null && (request.dedupeKey().isBlank() || request.dedupeKey().length() > 200)) {
            errors.add(new Problem.FieldError("dedupeKey", "must be 1 to 200 characters"));
        }
        if (request.sendAt() != null && request.sendAt().isAfter(now.plus(Duration.ofDays(366)))) {
            errors.add(new Problem.FieldError("sendAt", "must be within a year"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The message has invalid fields.", errors);
        }
        return templates.usable(request.templateId())
                .flatMap(template -> {
                    String key = request.dedupeKey() != null ? request.dedupeKey() : "template:" + template.id() + ":" + sha256(data);
                    Map<String, Object> params = NativeSql.params("id", UUID.randomUUID(), "customer", request.customerId(),
                            "channel", template.channel(), "category", template.category(), "template", template.id(),
                            "key", key, "data", data, "actor", actor, "now", now.atOffset(ZoneOffset.UTC),
                            "notBefore", (request.sendAt() == null || request.sendAt().isBefore(now) ? now : request.sendAt()).atOffset(ZoneOffset.UTC));
                    return insert(params, "queued", null, "ON CONFLICT (customer_id, dedupe_key) WHERE status <> 'suppressed' DO NOTHING")
                            .flatMap(rows -> rows.isEmpty()
                                    ? insert(NativeSql.with(params, "id", UUID.randomUUID()), "suppressed", "duplicate", "")
                                            .flatMap(dup -> outbox.recordAll(List.of(dup.get(0).suppressed(outbox, "duplicate", now)))
                                                    .replaceWith(dup.get(0)))
                                    : Uni.createFrom().item(rows.get(0)));
                })
                .flatMap(row -> get(row.id()));
    }

    /** Inserts one message for the live id of the customer (a merged id's survivor). */
    private static Uni<List<MessageRow>> insert(Map<String, Object> params, String status, String reason, String onConflict) {
        return NativeSql.list("""
                INSERT INTO message AS m (id, customer_id, channel, category, template_id, dedupe_key, data, status, reason, not_before,
                    created_by, created_at, finished_at)
                SELECT :id, coalesce((SELECT survivor_id FROM retired_customer WHERE customer_id = :customer AND reason = 'merged'),
                        CAST(:customer AS uuid)), :channel, :category, :template, :key, CAST(CAST(:data AS text) AS jsonb),
                    :status, :reason, :notBefore, :actor, :now, CASE WHEN :status = 'suppressed' THEN CAST(:now AS timestamptz) END
                %s RETURNING %s""".formatted(onConflict, MessageRow.ROW_COLUMNS), Object[].class,
                NativeSql.with(params, "status", status, "reason", reason))
                .map(rows -> rows.stream().map(MessageRow::of).toList());
    }

    public Uni<MessageView> get(UUID id) {
        return NativeSql.list("SELECT " + VIEW + " FROM message WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Messages::view)
                        .orElseThrow(() -> ProblemException.notFound("No message " + id + ".")));
    }

    /** A customer's messages (or everyone's with a status), newest first, in keyset pages. */
    public Uni<MessagePage> list(UUID customerId, String status, UUID after, int limit) {
        return NativeSql.list("SELECT " + VIEW + " FROM message m WHERE (CAST(:customer AS uuid) IS NULL OR customer_id = :customer)"
                + " AND (CAST(:status AS text) IS NULL OR status = :status)"
                + " AND (CAST(:after AS uuid) IS NULL OR (created_at, id) < (SELECT created_at, id FROM message WHERE id = :after))"
                + " ORDER BY created_at DESC, id DESC LIMIT :limit", Object[].class,
                NativeSql.params("customer", customerId, "status", status, "after", after, "limit", limit + 1))
                .map(rows -> {
                    List<MessageView> items = rows.stream().limit(limit).map(Messages::view).toList();
                    return new MessagePage(items, rows.size() > limit ? items.get(items.size() - 1).id() : null);
                });
    }

    private static MessageView view(Object[] r) {
        return new MessageView((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (UUID) r[4], (UUID) r[5], (String) r[6],
                (String) r[7], NativeSql.instant(r[8]), ((Number) r[9]).intValue(), NativeSql.instant(r[10]), NativeSql.instant(r[11]),
                NativeSql.instant(r[12]), NativeSql.instant(r[13]), NativeSql.instant(r[14]));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
