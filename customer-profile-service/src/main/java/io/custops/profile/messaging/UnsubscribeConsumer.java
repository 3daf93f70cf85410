package io.custops.profile.messaging;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.events.EventType;
import io.custops.events.payload.Unsubscribed;
import io.custops.platform.consumer.IdempotentConsumer;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.platform.persistence.NativeSql;
import io.custops.profile.rest.dto.ConsentChange;
import io.custops.profile.service.ConsentService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records campaign-service's one-click unsubscribes as consent withdrawals (source {@code unsubscribe-link}, the
 * message as proof), so the profile stays the record of consent and every service hears it as ConsentChanged. A
 * customer erased or merged away since is skipped.
 */
@ApplicationScoped
public class UnsubscribeConsumer {
    private final IdempotentConsumer consumer;
    private final ConsentService consents;

    public UnsubscribeConsumer(IdempotentConsumer consumer, ConsentService consents) {
        this.consumer = consumer;
        this.consents = consents;
    }

    @Incoming("campaign-events")
    public Uni<Void> onCampaignEvents(io.smallrye.reactive.messaging.kafka.KafkaRecordBatch<String, String> batch) {
        return consumer.process("profile-campaign", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    private Uni<Void> apply(IncomingEvent event) {
        if (!EventType.UNSUBSCRIBED.type().equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        Unsubscribed unsubscribed = event.data(Unsubscribed.class);
        return NativeSql.single("SELECT count(*) FROM profile WHERE id = :id", Long.class, Map.of("id", unsubscribed.customerId()))
                .flatMap(known -> known == 0 ? Uni.createFrom().voidItem()
                        : consents.record(unsubscribed.customerId(), List.of(new ConsentChange(unsubscribed.channel(), "marketing", "withdrawn",
                                unsubscribed.source(), unsubscribed.messageId() == null ? null : "message " + unsubscribed.messageId())),
                                "campaign-service", unsubscribed.source()).replaceWithVoid());
    }
}
