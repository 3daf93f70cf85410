package io.custops.evaluation.messaging;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.events.EventType;
import io.custops.events.payload.ComplaintResolved;
import io.custops.events.payload.Converted;
import io.custops.events.payload.FeedbackSubmitted;
import io.custops.events.payload.InteractionRecorded;
import io.custops.events.payload.LifecycleStageChanged;
import io.custops.events.payload.MemberJoined;
import io.custops.events.payload.MessageClicked;
import io.custops.events.payload.MessageDelivered;
import io.custops.events.payload.MessageOpened;
import io.custops.events.payload.MessageSent;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.OrderRefunded;
import io.custops.events.payload.PointsEarned;
import io.custops.events.payload.PointsRedeemed;
import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfileRegistered;
import io.custops.events.payload.ProfileUpdated;
import io.custops.events.payload.ProfilesMerged;
import io.custops.events.payload.ReferralCompleted;
import io.custops.events.payload.ScoresUpdated;
import io.custops.events.payload.SegmentEntered;
import io.custops.events.payload.SegmentExited;
import io.custops.events.payload.TierChanged;
import io.custops.events.payload.Unsubscribed;
import io.custops.events.payload.VariantAssigned;
import io.custops.platform.consumer.IdempotentConsumer;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every fact evaluation-service computes from, from all five topics, a polled batch per transaction. The high-volume
 * facts (orders, refunds, interactions, feedback, messages and their funnel stages, points, referrals, scores,
 * registrations, assignments) are collected across a run of events and written with one statement per kind; the few
 * events that must see what came before them (profile changes, tier and stage moves, memberships, merges, erasures)
 * are applied one at a time in order, after the run before them has been written. Each batch marks the days it
 * touched, so the next KPI rollup recomputes from there.
 */
@ApplicationScoped
public class FactsConsumer {
    private final IdempotentConsumer consumer;

    public FactsConsumer(IdempotentConsumer consumer) {
        this.consumer = consumer;
    }

    @Incoming("campaign-events")
    public Uni<Void> onCampaignEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("evaluation-campaign", batch, this::apply);
    }

    @Incoming("activity-events")
    public Uni<Void> onActivityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("evaluation-activity", batch, this::apply);
    }

    @Incoming("profile-events")
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("evaluation-profile", batch, this::apply);
    }

    @Incoming("segmentation-events")
    public Uni<Void> onSegmentationEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("evaluation-segmentation", batch, this::apply);
    }

    @Incoming("community-events")
    public Uni<Void> onCommunityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("evaluation-community", batch, this::apply);
    }

    private Uni<Void> apply(List<IncomingEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        Run run = new Run();
        TreeSet<LocalDate> days = new TreeSet<>();
        for (IncomingEvent event : events) {
            EventType type = EventType.fromType(event.type()).orElse(null);
            if (type == null || collect(type, event, run, days)) {
                continue;
            }
            Run written = run;
            run = new Run();
            chain = chain.flatMap(x -> written.write()).flatMap(x -> applyOne(type, event, days));
        }
        Run last = run;
        return chain.flatMap(x -> last.write()).flatMap(x -> markDirty(days));
    }

    /** Adds a set-written fact to the run; false when the event must be applied on its own. */
    private static boolean collect(EventType type, IncomingEvent event, Run run, TreeSet<LocalDate> days) {
        switch (type) {
            case ORDER_PLACED -> {
                OrderPlaced e = event.data(OrderPlaced.class);
                if (e.amount() != null) {
                    run.add(FactStatement.ORDER, NativeSql.params("customer_id", e.customerId(), "order_id", e.orderId(), "placed_at", e.placedAt(),
                            "revenue", e.amount().amount(), "currency", e.amount().currency(), "channel", e.channel()));
                    days.add(day(e.placedAt()));
                }
            }
            case ORDER_REFUNDED -> {
                OrderRefunded e = event.data(OrderRefunded.class);
                if (e.amount() != null) {
                    run.add(FactStatement.REFUND, NativeSql.params("customer_id", e.customerId(), "refund_id", e.refundId(), "order_id", e.orderId(),
                            "refunded_at", e.refundedAt(), "amount", e.amount().amount(), "currency", e.amount().currency()));
                    days.add(day(e.refundedAt()));
                }
            }
            case INTERACTION_RECORDED -> {
                InteractionRecorded e = event.data(InteractionRecorded.class);
                run.add(FactStatement.INTERACTION, NativeSql.params("customer_id", e.customerId(), "interaction_id", e.interactionId(),
                        "interaction_type", e.interactionType(), "occurred_at", e.occurredAt()));
                days.add(day(e.occurredAt()));
            }
            case FEEDBACK_SUBMITTED -> {
                FeedbackSubmitted e = event.data(FeedbackSubmitted.class);
                run.add(FactStatement.FEEDBACK, NativeSql.params("customer_id", e.customerId(), "feedback_id", e.feedbackId(), "kind", e.kind(),
                        "score", e.score(), "category", e.category(), "submitted_at", e.submittedAt()));
                days.add(day(e.submittedAt()));
            }
            case COMPLAINT_RESOLVED -> {
                ComplaintResolved e = event.data(ComplaintResolved.class);
                run.add(FactStatement.COMPLAINT_RESOLVED, NativeSql.params("customer_id", e.customerId(), "id", e.complaintId(), "at", e.resolvedAt()));
                days.add(day(e.resolvedAt()));
            }
            case MESSAGE_SENT -> {
                MessageSent e = event.data(MessageSent.class);
                run.add(FactStatement.MESSAGE, NativeSql.params("message_id", e.messageId(), "campaign_id", e.campaignId(), "customer_id", e.customerId(),
                        "channel", e.channel(), "sent_at", e.sentAt(), "cost", e.cost() == null ? null : e.cost().amount(),
                        "cost_currency", e.cost() == null ? null : e.cost().currency(), "budget_pool_id", e.budgetPoolId()));
                days.add(day(e.sentAt()));
            }
            case MESSAGE_DELIVERED -> {
                MessageDelivered e = event.data(MessageDelivered.class);
                run.add(FactStatement.DELIVERED, stage(e.messageId(), e.deliveredAt(), days));
            }
            case MESSAGE_OPENED -> {
                MessageOpened e = event.data(MessageOpened.class);
                run.add(FactStatement.OPENED, stage(e.messageId(), e.openedAt(), days));
            }
            case MESSAGE_CLICKED -> {
                MessageClicked e = event.data(MessageClicked.class);
                run.add(FactStatement.CLICKED, stage(e.messageId(), e.clickedAt(), days));
            }
            case UNSUBSCRIBED -> {
                Unsubscribed e = event.data(Unsubscribed.class);
                if (e.messageId() != null) {
                    run.add(FactStatement.UNSUBSCRIBED, stage(e.messageId(), e.unsubscribedAt(), days));
                }
            }
            case CONVERTED -> {
                Converted e = event.data(Converted.class);
                Map<String, Object> row = stage(e.messageId(), e.convertedAt(), days);
                row.put("revenue", e.revenue() == null ? null : e.revenue().amount());
                row.put("currency", e.revenue() == null ? null : e.revenue().currency());
                run.add(FactStatement.CONVERTED, row);
            }
            case POINTS_EARNED -> {
                PointsEarned e = event.data(PointsEarned.class);
                run.add(FactStatement.POINTS, NativeSql.params("kind", "earned", "reference", Long.toString(e.entryId()), "customer_id", e.customerId(),
                        "points", e.points(), "occurred_at", e.earnedAt()));
                days.add(day(e.earnedAt()));
            }
            case POINTS_REDEEMED -> {
                PointsRedeemed e = event.data(PointsRedeemed.class);
                run.add(FactStatement.POINTS, NativeSql.params("kind", "redeemed", "reference", e.redemptionId().toString(), "customer_id", e.customerId(),
                        "points", e.points(), "occurred_at", e.redeemedAt()));
                days.add(day(e.redeemedAt()));
            }
            case REFERRAL_COMPLETED -> {
                ReferralCompleted e = event.data(ReferralCompleted.class);
                run.add(FactStatement.REFERRAL, NativeSql.params("referral_id", e.referralId(), "stage", e.stage(), "referrer_id", e.customerId(),
                        "referee_id", e.refereeId(), "completed_at", e.completedAt()));
                days.add(day(e.completedAt()));
            }
            case PROFILE_REGISTERED -> {
                ProfileRegistered e = event.data(ProfileRegistered.class);
                run.add(FactStatement.REGISTERED, NativeSql.params("customer_id", e.customerId(), "at", e.registeredAt()));
                days.add(day(e.registeredAt()));
            }
            case SCORES_UPDATED -> {
                ScoresUpdated e = event.data(ScoresUpdated.class);
                run.add(FactStatement.SCORES, NativeSql.params("customer_id", e.customerId(), "tier", e.tier(), "lifecycle_stage", e.lifecycleStage(),
                        "health_index", e.healthIndex(), "at_risk", e.atRisk(), "churn_risk", e.churnRisk()));
            }
            case VARIANT_ASSIGNED -> {
                VariantAssigned e = event.data(VariantAssigned.class);
                run.add(FactStatement.ASSIGNMENT, NativeSql.params("experiment_id", e.experimentId(), "step", e.step() == null ? "" : e.step(),
                        "kind", e.experimentKind(), "customer_id", e.customerId(), "variant", e.variant(), "planned_share", e.plannedShare(),
                        "assigned_at", e.assignedAt()));
            }
            case PROFILE_UPDATED, TIER_CHANGED, LIFECYCLE_STAGE_CHANGED, SEGMENT_ENTERED, SEGMENT_EXITED, MEMBER_JOINED, PROFILES_MERGED,
                    PROFILE_ERASED -> {
                return false;
            }
            default -> {
            }
        }
        return true;
    }

    private static Map<String, Object> stage(UUID message, Instant at, TreeSet<LocalDate> days) {
        days.add(day(at));
        return NativeSql.params("message_id", message, "at", at);
    }

    private static Uni<Void> applyOne(EventType type, IncomingEvent event, TreeSet<LocalDate> days) {
        return switch (type) {
            case PROFILE_UPDATED -> {
                ProfileUpdated e = event.data(ProfileUpdated.class);
                if (e.completeness() == null) {
                    yield Uni.createFrom().voidItem();
                }
                days.add(day(e.updatedAt()));
                yield CustomerFacts.completeness(e.customerId(), e.completeness(), e.updatedAt());
            }
            case TIER_CHANGED -> {
                TierChanged e = event.data(TierChanged.class);
                days.add(day(e.changedAt()));
                yield CustomerFacts.moved(e.customerId(), "tier", e.from(), e.to(), e.changedAt());
            }
            case LIFECYCLE_STAGE_CHANGED -> {
                LifecycleStageChanged e = event.data(LifecycleStageChanged.class);
                days.add(day(e.changedAt()));
                yield CustomerFacts.moved(e.customerId(), "stage", e.from(), e.to(), e.changedAt());
            }
            case SEGMENT_ENTERED -> {
                SegmentEntered e = event.data(SegmentEntered.class);
                days.add(day(e.enteredAt()));
                yield CustomerFacts.entered(e.customerId(), "segment", e.segmentId().toString())
                        .flatMap(x -> CustomerFacts.segmentName(e.segmentId(), e.segmentName()));
            }
            case SEGMENT_EXITED -> {
                SegmentExited e = event.data(SegmentExited.class);
                days.add(day(e.exitedAt()));
                yield CustomerFacts.exited(e.customerId(), "segment", e.segmentId().toString());
            }
            case MEMBER_JOINED -> {
                MemberJoined e = event.data(MemberJoined.class);
                days.add(day(e.joinedAt()));
                yield CustomerFacts.entered(e.customerId(), "community", e.communityId().toString());
            }
            case PROFILES_MERGED -> {
                ProfilesMerged e = event.data(ProfilesMerged.class);
                yield CustomerFacts.earliestDay(e.mergedId()).invoke(d -> d.ifPresent(days::add))
                        .flatMap(x -> CustomerFacts.merged(e.survivorId(), e.mergedId(), e.mergedAt()));
            }
            case PROFILE_ERASED -> {
                ProfileErased e = event.data(ProfileErased.class);
                yield CustomerFacts.earliestDay(e.customerId()).invoke(d -> d.ifPresent(days::add))
                        .flatMap(x -> CustomerFacts.erased(e.customerId(), e.erasedAt()));
            }
            default -> Uni.createFrom().voidItem();
        };
    }

    private static Uni<Void> markDirty(TreeSet<LocalDate> days) {
        if (days.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return NativeSql.insertRows("kpi_dirty", List.of("day"), days.stream().map(d -> Map.<String, Object>of("day", d.toString())).toList(),
                "ON CONFLICT DO NOTHING").replaceWithVoid();
    }

    private static LocalDate day(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** Set-written facts collected from consecutive events, written in statement order (facts before their later stages). */
    private static final class Run {
        private final EnumMap<FactStatement, List<Map<String, Object>>> rows = new EnumMap<>(FactStatement.class);

        void add(FactStatement statement, Map<String, Object> row) {
            rows.computeIfAbsent(statement, s -> new ArrayList<>()).add(row);
        }

        Uni<Void> write() {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (var entry : rows.entrySet()) {
                chain = chain.flatMap(x -> entry.getKey().write(entry.getValue()));
            }
            return chain;
        }
    }
}
