package io.custops.campaign.tracking;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.campaign.config.DeliveryConfig;
import io.custops.campaign.delivery.MessageRow;
import io.custops.events.EventType;
import io.custops.events.payload.MessageDelivered;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.outbox.OutboxEvent;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Delivery receipts from providers (they hold no Keycloak token) — the SMS, push and WeChat-style adapters and the
 * e-mail provider's event webhook: the body is signed with the channel's provider credential,
 * {@code X-CustOps-Signature: sha256=<hex HMAC-SHA256 of the body>}. {@code delivered} marks a sent message delivered
 * (MessageDelivered, once); {@code failed} turns a sent message failed (a bounce: MessageFailed); {@code complained}
 * (a spam report) unsubscribes the customer from marketing on the channel. Receipts for unknown messages, another
 * channel's or ones already applied are counted as ignored.
 */
@Path("/t/receipts")
@PermitAll
@Tag(name = "Tracking")
public class ReceiptResource {
    private static final int MAX = 1000;

    private final DeliveryConfig config;
    private final EventOutbox outbox;
    private final ObjectMapper mapper;

    private final TrackingService tracking;

    public ReceiptResource(DeliveryConfig config, EventOutbox outbox, ObjectMapper mapper, TrackingService tracking) {
        this.config = config;
        this.outbox = outbox;
        this.mapper = mapper;
        this.tracking = tracking;
    }

    public record Applied(int applied, int ignored) {
    }

    @POST
    @Path("/{channel}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Provider delivery receipts", description = """
            `{"receipts":[{"messageId":"…","status":"delivered"|"failed"|"complained","error":"…","at":"…"}]}`, at most 1000, signed \
            with the channel's provider credential in X-CustOps-Signature (sha256=hex HMAC of the body); 401 when the \
            signature does not match.""")
    public Uni<Applied> receipts(@PathParam("channel") String channel, @HeaderParam("X-CustOps-Signature") String signature, String body) {
        DeliveryConfig.Channel settings = config.channels().get(channel);
        if (settings == null || settings.token().isEmpty()) {
            throw ProblemException.notFound("No provider receipts for channel " + channel + ".");
        }
        if (signature == null || !MessageDigest.isEqual(("sha256=" + hmac(settings.token().get(), body)).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new ProblemException(401, "Unauthorized", "The receipt's X-CustOps-Signature does not match its body.");
        }
        List<Map<String, Object>> rows = parse(body);
        List<UUID> complaints = rows.stream().filter(r -> COMPLAINED.equals(r.get("status"))).map(r -> (UUID) r.get("id")).toList();
        return Panache.withTransaction(() -> NativeSql.list("""
                WITH r AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r(id uuid, status text, error text, at timestamptz))
                UPDATE message m SET delivered_at = CASE WHEN r.status = 'delivered' THEN r.at ELSE m.delivered_at END,
                    status = CASE WHEN r.status = 'failed' THEN 'failed' ELSE m.status END,
                    reason = CASE WHEN r.status = 'failed' THEN left('provider: ' || coalesce(r.error, 'not delivered'), 500) ELSE m.reason END
                FROM r WHERE m.id = r.id AND m.channel = :channel AND m.status = 'sent' AND m.delivered_at IS NULL
                RETURNING %s, r.status, r.error, r.at""".formatted(MessageRow.ROW_COLUMNS), Object[].class,
                Map.of("rows", NativeSql.json(rows), "channel", channel))
                .flatMap(updated -> {
                    List<OutboxEvent> events = new ArrayList<>();
                    for (Object[] u : updated) {
                        MessageRow m = MessageRow.of(u);
                        Instant at = NativeSql.instant(u[MessageRow.COLUMNS + 2]);
                        events.add("delivered".equals(u[MessageRow.COLUMNS]) ? outbox.prepare(EventType.MESSAGE_DELIVERED, m.customerId(),
                                new MessageDelivered(m.customerId(), m.id(), m.channel(), m.templateId(), m.campaignId(), at))
                                : m.failed(outbox, "provider: " + (u[MessageRow.COLUMNS + 1] == null ? "not delivered" : u[MessageRow.COLUMNS + 1]), at));
                    }
                    return outbox.recordAll(events).flatMap(x -> complaints(complaints, channel))
                            .map(unsubscribed -> new Applied(updated.size() + unsubscribed, rows.size() - updated.size() - unsubscribed));
                }));
    }

    private static final String COMPLAINED = "complained";

    /** Applies the complaints one after the other in the receipts' transaction; counts those that applied. */
    private Uni<Integer> complaints(List<UUID> messages, String channel) {
        Uni<Integer> applied = Uni.createFrom().item(0);
        for (UUID message : messages) {
            applied = applied.flatMap(n -> tracking.complained(message, channel).map(did -> did ? n + 1 : n));
        }
        return applied;
    }

    private List<Map<String, Object>> parse(String body) {
        JsonNode receipts;
        try {
            receipts = mapper.readTree(body).path("receipts");
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("The receipts are not JSON.", List.of());
        }
        if (!receipts.isArray() || receipts.isEmpty() || receipts.size() > MAX) {
            throw ProblemException.badRequest("Send 1 to " + MAX + " receipts.", List.of(new Problem.FieldError("receipts", "must hold 1 to " + MAX)));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < receipts.size(); i++) {
            JsonNode r = receipts.get(i);
            String status = r.path("status").asText();
            try {
                UUID id = UUID.fromString(r.path("messageId").asText());
                Instant at = r.hasNonNull("at") ? Instant.parse(r.get("at").asText()) : Instant.now();
                if (!"delivered".equals(status) && !"failed".equals(status) && !COMPLAINED.equals(status)) {
                    errors.add(new Problem.FieldError("receipts[" + i + "].status", "must be delivered, failed or complained"));
                }
                rows.add(NativeSql.params("id", id, "status", status, "error", r.path("error").isMissingNode() ? null : r.get("error").asText(),
                        "at", at));
            } catch (RuntimeException e) {
                errors.add(new Problem.FieldError("receipts[" + i + "]", "needs a message id (UUID) and an ISO-8601 time"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The receipts have invalid fields.", errors);
        }
        return rows;
    }

    static String hmac(String key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
