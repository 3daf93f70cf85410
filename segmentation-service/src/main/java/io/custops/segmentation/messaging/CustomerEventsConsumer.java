package io.custops.segmentation.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.events.EventType;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfileRegistered;
import io.custops.events.payload.ProfilesMerged;
import io.custops.platform.consumer.IdempotentConsumer;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.segmentation.service.RollupService;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/** Feeds profile and activity events into the rollups, once per event. Unknown types are skipped. */
@ApplicationScoped
public class CustomerEventsConsumer {
    private final IdempotentConsumer consumer;
    private final RollupService rollups;

    public CustomerEventsConsumer(IdempotentConsumer consumer, RollupService rollups) {
        this.consumer = consumer;
        this.rollups = rollups;
    }

    @Incoming("profile-events")
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("segmentation-profile", batch, IdempotentConsumer.eachInOrder(this::dispatch));
    }

    @Incoming("activity-events")
    public Uni<Void> onActivityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("segmentation-activity", batch, IdempotentConsumer.eachInOrder(this::dispatch));
    }

    private Uni<Void> dispatch(IncomingEvent event) {
        return EventType.fromType(event.type()).map(type -> switch (type) {
            case PROFILE_REGISTERED -> rollups.onProfileRegistered(event.data(ProfileRegistered.class));
            case ORDER_PLACED -> rollups.onOrderPlaced(event.data(OrderPlaced.class));
            case PROFILE_ERASED -> rollups.onProfileErased(event.data(ProfileErased.class));
            case PROFILES_MERGED -> rollups.onProfilesMerged(event.data(ProfilesMerged.class));
            default -> Uni.createFrom().voidItem();
        }).orElseGet(() -> Uni.createFrom().voidItem());
    }
}
