package io.custops.segmentation.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.custops.events.EventType;
import io.custops.events.payload.LifecycleStageChanged;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfileRegistered;
import io.custops.events.payload.ProfilesMerged;
import io.custops.platform.outbox.EventOutbox;
import io.custops.segmentation.domain.CustomerScore;
import io.custops.segmentation.domain.LifecycleStage;
import io.custops.segmentation.repository.CustomerScoreRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps each customer's rollup current from profile and activity events and moves the lifecycle stage.
 * Events of one customer arrive in order within a topic but not across topics, so each handler creates the
 * record if it is missing and never moves a stage backwards. Runs inside the consumer's transaction.
 */
@ApplicationScoped
public class RollupService {
    private static final Logger LOG = Logger.getLogger(RollupService.class);

    private final CustomerScoreRepository scores;
    private final EventOutbox outbox;
    private final Clock clock;

    public RollupService(CustomerScoreRepository scores, EventOutbox outbox, Clock clock) {
        this.scores = scores;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<Void> onProfileRegistered(ProfileRegistered event) {
        return scores.findById(event.customerId()).flatMap(score -> {
            if (score != null) {
                if (score.registeredAt == null) {
                    score.registeredAt = event.registeredAt();
                    score.updatedAt = Instant.now(clock);
                }
                return Uni.createFrom().voidItem();
            }
            CustomerScore created = CustomerScore.newCustomer(event.customerId(), LifecycleStage.ACQUISITION, Instant.now(clock));
            created.registeredAt = event.registeredAt();
            return scores.persist(created)
                    .flatMap(saved -> stageChanged(saved.customerId, null, LifecycleStage.ACQUISITION, "profile registered"));
        });
    }

    public Uni<Void> onOrderPlaced(OrderPlaced event) {
        return scores.findById(event.customerId()).flatMap(existing -> {
            Instant now = Instant.now(clock);
            boolean isNew = existing == null;
            CustomerScore score = isNew ? CustomerScore.newCustomer(event.customerId(), LifecycleStage.ACQUISITION, now) : existing;
            LifecycleStage before = isNew ? null : score.lifecycleStage;
            addOrder(score, event);
            score.updatedAt = now;
            if (score.lifecycleStage == LifecycleStage.ACQUISITION) {
                score.lifecycleStage = LifecycleStage.ACTIVATION;
            }
            Uni<CustomerScore> saved = isNew ? scores.persist(score) : Uni.createFrom().item(score);
            return saved.flatMap(s -> s.lifecycleStage == before ? Uni.createFrom().voidItem()
                    : stageChanged(s.customerId, before, s.lifecycleStage, "first order placed"));
        });
    }

    /** The person was erased: their rollup and scores go. */
    public Uni<Void> onProfileErased(ProfileErased event) {
        return scores.deleteById(event.customerId()).replaceWithVoid();
    }

    /**
     * Two profiles were one person: the merged customer's rollup folds into the survivor's (counts and totals
     * add up, first and last orders widen, the later lifecycle stage wins) and is deleted.
     */
    public Uni<Void> onProfilesMerged(ProfilesMerged event) {
        return scores.findById(event.mergedId()).flatMap(merged -> {
            if (merged == null) {
                return Uni.createFrom().voidItem();
            }
            return scores.findById(event.survivorId()).flatMap(survivor -> {
                Instant now = Instant.now(clock);
                if (survivor == null) {
                    CustomerScore moved = CustomerScore.newCustomer(event.survivorId(), merged.lifecycleStage, now);
                    fold(moved, merged);
                    return scores.delete(merged).flatMap(x -> scores.persist(moved)).replaceWithVoid();
                }
                LifecycleStage before = survivor.lifecycleStage;
                fold(survivor, merged);
                survivor.updatedAt = now;
                return scores.delete(merged).flatMap(x -> survivor.lifecycleStage == before ? Uni.createFrom().voidItem()
                        : stageChanged(survivor.customerId, before, survivor.lifecycleStage, "profiles merged"));
            });
        });
    }

    private static void fold(CustomerScore into, CustomerScore from) {
        into.orderCount += from.orderCount;
        if (into.currency == null) {
            into.currency = from.currency;
        }
        if (from.currency != null && from.currency.equals(into.currency)) {
            into.monetaryTotal = into.monetaryTotal.add(from.monetaryTotal);
        }
        into.firstOrderAt = earliest(into.firstOrderAt, from.firstOrderAt);
        into.lastOrderAt = latest(into.lastOrderAt, from.lastOrderAt);
        into.registeredAt = earliest(into.registeredAt, from.registeredAt);
        if (from.lifecycleStage.ordinal() > into.lifecycleStage.ordinal()) {
            into.lifecycleStage = from.lifecycleStage;
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static void addOrder(CustomerScore score, OrderPlaced event) {
        score.orderCount++;
        if (score.currency == null) {
            score.currency = event.amount().currency();
        }
        if (score.currency.equals(event.amount().currency())) {
            score.monetaryTotal = score.monetaryTotal.add(new BigDecimal(event.amount().value()));
        } else {
            // currency conversion is not modelled yet: count the order but keep the total in one currency
            LOG.warnf("order %s for %s is in %s, the rollup is in %s: amount not added", event.orderId(),
                    event.customerId(), event.amount().currency(), score.currency);
        }
        if (score.firstOrderAt == null || event.placedAt().isBefore(score.firstOrderAt)) {
            score.firstOrderAt = event.placedAt();
        }
        if (score.lastOrderAt == null || event.placedAt().isAfter(score.lastOrderAt)) {
            score.lastOrderAt = event.placedAt();
        }
    }

    private Uni<Void> stageChanged(UUID customerId, LifecycleStage from, LifecycleStage to, String reason) {
        return outbox.record(EventType.LIFECYCLE_STAGE_CHANGED, customerId, new LifecycleStageChanged(customerId,
                from == null ? null : from.wireName(), to.wireName(), Instant.now(clock), reason)).replaceWithVoid();
    }
}
