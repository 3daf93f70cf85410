package io.custops.campaign.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.campaign.service.AudienceApplier;
import io.custops.platform.consumer.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/** Keeps what campaign-service knows of each customer (consents, locale, retired ids) from the profile events. */
@ApplicationScoped
public class ProfileEventsConsumer {
    private final IdempotentConsumer consumer;
    private final AudienceApplier applier;

    public ProfileEventsConsumer(IdempotentConsumer consumer, AudienceApplier applier) {
        this.consumer = consumer;
        this.applier = applier;
    }

    @Incoming("profile-events")
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("campaign-profile", batch, IdempotentConsumer.eachInOrder(applier::apply));
    }
}
