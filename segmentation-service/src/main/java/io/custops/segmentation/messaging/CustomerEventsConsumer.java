package io.custops.segmentation.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.platform.consumer.IdempotentConsumer;
import io.custops.segmentation.service.EventApplier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/** Feeds profile and activity events into facts, rollups and scores, a polled batch per transaction. */
@ApplicationScoped
public class CustomerEventsConsumer {
    private final IdempotentConsumer consumer;
    private final EventApplier applier;

    public CustomerEventsConsumer(IdempotentConsumer consumer, EventApplier applier) {
        this.consumer = consumer;
        this.applier = applier;
    }

    @Incoming("profile-events")
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("segmentation-profile", batch, applier::apply);
    }

    @Incoming("activity-events")
    public Uni<Void> onActivityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("segmentation-activity", batch, applier::apply);
    }
}
