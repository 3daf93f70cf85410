package io.custops.community.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.community.communities.Communities;
import io.custops.community.loyalty.ActivityPoints;
import io.custops.community.loyalty.LoyaltyTiers;
import io.custops.community.loyalty.Referrals;
import io.custops.community.loyalty.RetiredCustomers;
import io.custops.events.EventType;
import io.custops.events.payload.InteractionRecorded;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.OrderRefunded;
import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfileRegistered;
import io.custops.events.payload.ProfilesMerged;
import io.custops.events.payload.TierChanged;
import io.custops.platform.consumer.IdempotentConsumer;
import io.custops.platform.consumer.IncomingEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The profile, segmentation and activity events community-service consumes, a polled batch per transaction, each event in order
 * and for the customer's live id: value tiers (for choosing leaders), registrations (for referrals), merges and erasures, points from orders and
 * interactions, clawbacks on refunds, referral first orders, then the customer's loyalty tiers.
 */
@ApplicationScoped
public class CustomerEventsConsumer {
    private final IdempotentConsumer consumer;
    private final ActivityPoints points;
    private final RetiredCustomers retired;
    private final LoyaltyTiers tiers;
    private final Referrals referrals;

    public CustomerEventsConsumer(IdempotentConsumer consumer, ActivityPoints points, RetiredCustomers retired, LoyaltyTiers tiers,
            Referrals referrals) {
        this.referrals = referrals;
        this.consumer = consumer;
        this.points = points;
        this.retired = retired;
        this.tiers = tiers;
    }

    @Incoming("profile-events")
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("community-profile", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    @Incoming("segmentation-events")
    public Uni<Void> onSegmentationEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("community-segmentation", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    @Incoming("activity-events")
    public Uni<Void> onActivityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("community-activity", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    private Uni<Void> apply(IncomingEvent event) {
        EventType type = EventType.fromType(event.type()).orElse(null);
        if (type == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (type) {
            case PROFILES_MERGED -> retired.merged(event.data(ProfilesMerged.class));
            case PROFILE_ERASED -> retired.erased(event.data(ProfileErased.class));
            case TIER_CHANGED -> forLive(event, live -> Communities.tierChanged(live, event.data(TierChanged.class)));
            case PROFILE_REGISTERED -> forLive(event, live -> Referrals.registered(live, event.data(ProfileRegistered.class).registeredAt()));
            case ORDER_PLACED -> forLive(event, live -> {
                OrderPlaced order = event.data(OrderPlaced.class);
                return points.order(live, order).flatMap(x -> referrals.ordered(live, order.orderId(), order.placedAt()))
                        .flatMap(x -> tiers.evaluate(live, false));
            });
            case ORDER_REFUNDED -> forLive(event, live -> points.refund(live, event.data(OrderRefunded.class))
                    .flatMap(x -> tiers.evaluate(live, false)));
            case INTERACTION_RECORDED -> forLive(event, live -> points.interaction(live, event.data(InteractionRecorded.class))
                    .flatMap(x -> tiers.evaluate(live, false)));
            default -> Uni.createFrom().voidItem();
        };
    }

    private static Uni<Void> forLive(IncomingEvent event, java.util.function.Function<java.util.UUID, Uni<Void>> handler) {
        return RetiredCustomers.liveId(event.subject()).flatMap(live -> live.isEmpty() ? Uni.createFrom().voidItem() : handler.apply(live.get()));
    }
}
