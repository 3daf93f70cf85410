package io.custops.campaign.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.campaign.coupons.Coupons;
import io.custops.campaign.journeys.JourneyTriggers;
import io.custops.campaign.journeys.Journeys;
import io.custops.campaign.service.AudienceApplier;
import io.custops.campaign.service.Campaigns;
import io.custops.campaign.service.Conversions;
import io.custops.events.EventType;
import io.custops.events.payload.ExperimentConcluded;
import io.custops.events.payload.OrderPlaced;
import io.custops.platform.consumer.IdempotentConsumer;
import io.custops.platform.consumer.IncomingEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every customer event campaign-service consumes, a polled batch per transaction, each event in order: first what
 * campaign-service knows of the customer (consents, locale, retired ids, segments, tiers, scores, orders), then
 * conversions and coupon redemptions, then journeys (goals, waits for the event, triggers), so a journey step sees the event's effect.
 */
@ApplicationScoped
public class CustomerEventsConsumer {
    private final IdempotentConsumer consumer;
    private final AudienceApplier audience;
    private final Conversions conversions;
    private final JourneyTriggers journeys;
    private final Coupons coupons;
    private final Campaigns campaigns;
    private final Journeys journeyDefinitions;

    public CustomerEventsConsumer(IdempotentConsumer consumer, AudienceApplier audience, Conversions conversions,
            JourneyTriggers journeys, Coupons coupons, Campaigns campaigns, Journeys journeyDefinitions) {
        this.campaigns = campaigns;
        this.journeyDefinitions = journeyDefinitions;
        this.consumer = consumer;
        this.audience = audience;
        this.conversions = conversions;
        this.journeys = journeys;
        this.coupons = coupons;
    }

    @Incoming("profile-events")
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("campaign-profile", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    @Incoming("segmentation-events")
    public Uni<Void> onSegmentationEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("campaign-segmentation", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    @Incoming("activity-events")
    public Uni<Void> onActivityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("campaign-activity", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    /**
     * Experiment verdicts from evaluation-service: a significant winner of a campaign still sending is promoted; a
     * journey split's winner takes every customer reaching the step from then on.
     */
    @Incoming("evaluation-events")
    public Uni<Void> onEvaluationEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("campaign-evaluation", batch, IdempotentConsumer.eachInOrder(this::verdict));
    }

    private Uni<Void> verdict(IncomingEvent event) {
        if (!EventType.EXPERIMENT_CONCLUDED.type().equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        ExperimentConcluded verdict = event.data(ExperimentConcluded.class);
        if (!verdict.significant() || verdict.winner() == null || "control".equals(verdict.winner())) {
            return Uni.createFrom().voidItem();
        }
        if ("journey".equals(verdict.experimentKind())) {
            return verdict.step() == null ? Uni.createFrom().voidItem() : journeyDefinitions.promote(verdict.experimentId(), verdict.step(), verdict.winner());
        }
        return campaigns.promote(verdict.experimentId(), verdict.winner()).replaceWithVoid();
    }

    private Uni<Void> apply(IncomingEvent event) {
        return audience.apply(event).flatMap(x -> conversions.apply(event)).flatMap(x -> redeem(event)).flatMap(x -> journeys.apply(event));
    }

    /** Coupons an order names are redeemed for its (live) customer. */
    private Uni<Void> redeem(IncomingEvent event) {
        if (!EventType.ORDER_PLACED.type().equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        OrderPlaced order = event.data(OrderPlaced.class);
        if (order.couponCodes() == null || order.couponCodes().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return AudienceApplier.liveId(order.customerId()).flatMap(live -> live.isEmpty() ? Uni.createFrom().voidItem()
                : coupons.redeemWithOrder(live.get(), order.orderId(), order.couponCodes()));
    }
}
