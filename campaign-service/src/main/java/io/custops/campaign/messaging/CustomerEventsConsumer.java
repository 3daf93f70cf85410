package io.custops.campaign.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.campaign.service.AudienceApplier;
import io.custops.campaign.service.Conversions;
import io.custops.platform.consumer.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps what campaign-service knows of each customer: consents, locale and retired ids from the profile events;
 * segment memberships and value tiers from segmentation's; and attributes orders from the activity events.
 */
@ApplicationScoped
public class CustomerEventsConsumer {
    private final IdempotentConsumer consumer;
    private final AudienceApplier applier;
    private final Conversions conversions;

    public CustomerEventsConsumer(IdempotentConsumer consumer, AudienceApplier applier, Conversions conversions) {
        this.consumer = consumer;
        this.applier = applier;
        this.conversions = conversions;
    }

    @Incoming("profile-events")
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("campaign-profile", batch, IdempotentConsumer.eachInOrder(applier::apply));
    }

    @Incoming("segmentation-events")
    public Uni<Void> onSegmentationEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("campaign-segmentation", batch, IdempotentConsumer.eachInOrder(applier::apply));
    }

    @Incoming("activity-events")
    public Uni<Void> onActivityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("campaign-activity", batch, IdempotentConsumer.eachInOrder(conversions::apply));
    }
}
