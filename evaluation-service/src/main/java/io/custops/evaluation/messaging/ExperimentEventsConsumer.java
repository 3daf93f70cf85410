package io.custops.evaluation.messaging;

import java.util.Map;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.events.EventType;
import io.custops.events.payload.MessageClicked;
import io.custops.events.payload.MessageOpened;
import io.custops.events.payload.MessageSent;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfilesMerged;
import io.custops.events.payload.Unsubscribed;
import io.custops.events.payload.VariantAssigned;
import io.custops.platform.consumer.IdempotentConsumer;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the experiment statistics need, from three topics, a polled batch per transaction: assignments
 * (VariantAssigned), orders (conversions and revenue, before and after the assignment), and for campaign experiments
 * the messages and their opens, clicks and unsubscribes; merges move and erasures anonymise a customer's rows.
 */
@ApplicationScoped
public class ExperimentEventsConsumer {
    private final IdempotentConsumer consumer;

    public ExperimentEventsConsumer(IdempotentConsumer consumer) {
        this.consumer = consumer;
    }

    @Incoming("experiment-campaign-events")
    public Uni<Void> onCampaignEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("evaluation-experiments-campaign", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    @Incoming("experiment-activity-events")
    public Uni<Void> onActivityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("evaluation-experiments-activity", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    @Incoming("experiment-profile-events")
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("evaluation-experiments-profile", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    private Uni<Void> apply(IncomingEvent event) {
        EventType type = EventType.fromType(event.type()).orElse(null);
        if (type == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (type) {
            case VARIANT_ASSIGNED -> assigned(event.data(VariantAssigned.class));
            case ORDER_PLACED -> ordered(event.data(OrderPlaced.class));
            case MESSAGE_SENT -> sent(event.data(MessageSent.class));
            case MESSAGE_OPENED -> engaged("opened_at", event.data(MessageOpened.class).messageId(), event.data(MessageOpened.class).openedAt());
            case MESSAGE_CLICKED -> engaged("clicked_at", event.data(MessageClicked.class).messageId(), event.data(MessageClicked.class).clickedAt());
            case UNSUBSCRIBED -> {
                Unsubscribed u = event.data(Unsubscribed.class);
                yield u.messageId() == null ? Uni.createFrom().voidItem() : engaged("unsubscribed_at", u.messageId(), u.unsubscribedAt());
            }
            case PROFILES_MERGED -> merged(event.data(ProfilesMerged.class));
            case PROFILE_ERASED -> erased(event.data(ProfileErased.class));
            default -> Uni.createFrom().voidItem();
        };
    }

    private static Uni<Void> assigned(VariantAssigned e) {
        Map<String, Object> p = NativeSql.params("id", e.experimentId(), "step", e.step() == null ? "" : e.step(), "kind", e.experimentKind(),
                "customer", e.customerId(), "variant", e.variant(), "share", e.plannedShare(), "at", NativeSql.utc(e.assignedAt()));
        return NativeSql.execute("""
                INSERT INTO experiment (id, step, kind, first_assigned_at, last_assigned_at) VALUES (:id, :step, :kind, :at, :at)
                ON CONFLICT (id, step) DO UPDATE SET first_assigned_at = least(experiment.first_assigned_at, excluded.first_assigned_at),
                    last_assigned_at = greatest(experiment.last_assigned_at, excluded.last_assigned_at)""", p)
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO experiment_assignment (experiment_id, step, customer_id, variant, planned_share, assigned_at)
                        VALUES (:id, :step, :customer, :variant, :share, :at) ON CONFLICT DO NOTHING""", p))
                .replaceWithVoid();
    }

    private static Uni<Void> ordered(OrderPlaced e) {
        if (e.amount() == null) {
            return Uni.createFrom().voidItem();
        }
        return NativeSql.execute("""
                INSERT INTO order_fact (customer_id, order_id, placed_at, revenue, currency) VALUES (:customer, :order, :at, :revenue, :currency)
                ON CONFLICT DO NOTHING""", NativeSql.params("customer", e.customerId(), "order", e.orderId(), "at", NativeSql.utc(e.placedAt()),
                "revenue", e.amount().amount(), "currency", e.amount().currency())).replaceWithVoid();
    }

    private static Uni<Void> sent(MessageSent e) {
        return e.campaignId() == null ? Uni.createFrom().voidItem() : NativeSql.execute("""
                INSERT INTO message_fact (message_id, campaign_id, customer_id) VALUES (:message, :campaign, :customer) ON CONFLICT DO NOTHING""",
                Map.of("message", e.messageId(), "campaign", e.campaignId(), "customer", e.customerId())).replaceWithVoid();
    }

    private static Uni<Void> engaged(String column, java.util.UUID message, java.time.Instant at) {
        return NativeSql.execute("UPDATE message_fact SET %1$s = coalesce(%1$s, :at) WHERE message_id = :message".formatted(column),
                NativeSql.params("message", message, "at", NativeSql.utc(at))).replaceWithVoid();
    }

    private static Uni<Void> merged(ProfilesMerged e) {
        Map<String, Object> ids = Map.of("survivor", e.survivorId(), "merged", e.mergedId());
        return NativeSql.execute("""
                DELETE FROM experiment_assignment m WHERE m.customer_id = :merged AND EXISTS (SELECT 1 FROM experiment_assignment s
                    WHERE s.customer_id = :survivor AND s.experiment_id = m.experiment_id AND s.step = m.step)""", ids)
                .flatMap(x -> NativeSql.execute("UPDATE experiment_assignment SET customer_id = :survivor WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO order_fact (customer_id, order_id, placed_at, revenue, currency)
                        SELECT :survivor, order_id, placed_at, revenue, currency FROM order_fact WHERE customer_id = :merged ON CONFLICT DO NOTHING""",
                        ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM order_fact WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("UPDATE message_fact SET customer_id = :survivor WHERE customer_id = :merged", ids))
                .replaceWithVoid();
    }

    /** The experiments keep the erased customer's outcomes, under one random id that leads nowhere. */
    private static Uni<Void> erased(ProfileErased e) {
        Map<String, Object> ids = Map.of("customer", e.customerId(), "anonymous", java.util.UUID.randomUUID());
        return NativeSql.execute("UPDATE experiment_assignment SET customer_id = :anonymous WHERE customer_id = :customer", ids)
                .flatMap(x -> NativeSql.execute("UPDATE order_fact SET customer_id = :anonymous, order_id = 'erased:' || md5(order_id)"
                        + " WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("UPDATE message_fact SET customer_id = :anonymous WHERE customer_id = :customer", ids))
                .replaceWithVoid();
    }
}
