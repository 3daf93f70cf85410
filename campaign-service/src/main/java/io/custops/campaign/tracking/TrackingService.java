package io.custops.campaign.tracking;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.custops.campaign.service.AudienceApplier;
import io.custops.events.EventType;
import io.custops.events.payload.MessageClicked;
import io.custops.events.payload.MessageOpened;
import io.custops.events.payload.Unsubscribed;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** What a tracking link records, in one transaction with its event: first open, every click, an unsubscribe. */
@ApplicationScoped
public class TrackingService {
    private final EventOutbox outbox;
    private final Clock clock;

    public TrackingService(EventOutbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    private record Sent(UUID id, UUID customerId, String channel, UUID templateId, UUID campaignId, Instant openedAt,
            Instant unsubscribedAt) {
    }

    /** Records the first open of a sent message; later opens change nothing. */
    public Uni<Void> opened(UUID messageId) {
        Instant now = Instant.now(clock);
        return sent(messageId).flatMap(m -> m.openedAt() != null ? Uni.createFrom().voidItem()
                : NativeSql.execute("UPDATE message SET opened_at = :now WHERE id = :id AND opened_at IS NULL",
                        NativeSql.params("id", messageId, "now", now.atOffset(java.time.ZoneOffset.UTC)))
                        .flatMap(updated -> updated == 0 ? Uni.createFrom().voidItem()
                                : outbox.record(EventType.MESSAGE_OPENED, m.customerId(),
                                        new MessageOpened(m.customerId(), m.id(), m.channel(), m.templateId(), m.campaignId(), now))
                                        .replaceWithVoid()));
    }

    /** Records a click (every one is an event; a click also counts as an open, for clients that block images). */
    public Uni<Void> clicked(UUID messageId, String url) {
        Instant now = Instant.now(clock);
        return opened(messageId).flatMap(x -> sent(messageId)).flatMap(m -> NativeSql.execute(
                "UPDATE message SET clicked_at = coalesce(clicked_at, :now) WHERE id = :id",
                NativeSql.params("id", messageId, "now", now.atOffset(java.time.ZoneOffset.UTC)))
                .flatMap(x -> outbox.record(EventType.MESSAGE_CLICKED, m.customerId(),
                        new MessageClicked(m.customerId(), m.id(), m.channel(), m.templateId(), m.campaignId(), url, now)))
                .replaceWithVoid());
    }

    /**
     * Withdraws the customer's marketing consent for the message's channel at once and announces it; a second
     * unsubscribe through the same message changes nothing.
     */
    public Uni<Void> unsubscribed(UUID messageId) {
        return withdraw(messageId, UNSUBSCRIBE_LINK).replaceWithVoid();
    }

    /**
     * A spam complaint the e-mail provider reports for a message counts as an unsubscribe from marketing on its
     * channel (source {@code spam-complaint}); complaints about unknown messages or another channel's are ignored.
     */
    public Uni<Boolean> complained(UUID messageId, String channel) {
        return NativeSql.list("SELECT 1 FROM message WHERE id = :id AND channel = :channel AND status = 'sent'", Object.class,
                Map.of("id", messageId, "channel", channel))
                .flatMap(found -> found.isEmpty() ? Uni.createFrom().item(false) : withdraw(messageId, SPAM_COMPLAINT));
    }

    /** True when this withdrew the consent, false when the message had already unsubscribed the customer. */
    private Uni<Boolean> withdraw(UUID messageId, String source) {
        Instant now = Instant.now(clock);
        return sent(messageId).flatMap(m -> m.unsubscribedAt() != null ? Uni.createFrom().item(false)
                : NativeSql.execute("UPDATE message SET unsubscribed_at = :now WHERE id = :id AND unsubscribed_at IS NULL",
                        NativeSql.params("id", messageId, "now", now.atOffset(java.time.ZoneOffset.UTC)))
                        .flatMap(updated -> updated == 0 ? Uni.createFrom().item(false)
                                : AudienceApplier.record(m.customerId(), m.channel(), "marketing", "withdrawn", source, now)
                                        .flatMap(x -> outbox.record(EventType.UNSUBSCRIBED, m.customerId(), new Unsubscribed(
                                                m.customerId(), m.id(), m.channel(), "marketing", source, now)))
                                        .replaceWith(true)));
    }

    private static final String UNSUBSCRIBE_LINK = "unsubscribe-link";
    private static final String SPAM_COMPLAINT = "spam-complaint";

    private Uni<Sent> sent(UUID messageId) {
        return NativeSql.list("""
                SELECT id, customer_id, channel, template_id, campaign_id, opened_at, unsubscribed_at FROM message
                WHERE id = :id AND status = 'sent' FOR UPDATE""", Object[].class, Map.of("id", messageId))
                .map(rows -> rows.stream().findFirst().map(r -> new Sent((UUID) r[0], (UUID) r[1], (String) r[2], (UUID) r[3],
                        (UUID) r[4], NativeSql.instant(r[5]), NativeSql.instant(r[6])))
                        .orElseThrow(() -> ProblemException.notFound("No such link.")));
    }
}
