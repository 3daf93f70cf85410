package io.custops.campaign.journeys;


import java.util.UUID;

import io.custops.platform.persistence.NativeSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Date triggers: every day ({@code custops.journeys.date-sweep-cron}, and when such a journey is activated), the
 * customers whose birthday (month and day), last order or registration falls on today minus the offset enter each
 * active date-triggered journey, set-based, under its entry rule (with mode always: once a day).
 */
@ApplicationScoped
public class JourneyDates {
    /** Date sweeps a day apart never enter a customer twice for one date, even if a sweep runs late. */
    private static final java.time.Duration ONCE_A_DAY = java.time.Duration.ofHours(20);

    private final ActiveJourneys journeys;

    public JourneyDates(ActiveJourneys journeys) {
        this.journeys = journeys;
    }

    @Scheduled(cron = "${custops.journeys.date-sweep-cron:0 0 5 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        return Panache.withTransaction(() -> journeys.active().flatMap(active -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (ActiveJourneys.Active journey : active) {
                chain = chain.flatMap(x -> sweep(journey.id(), journey.definition(), journey.version()));
            }
            return chain;
        }));
    }

    /** Enters today's customers into one journey, if it has a date trigger. */
    public Uni<Void> sweep(UUID journey, JourneyDefinition definition, int version) {
        if (definition.dateAttribute().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        boolean always = "always".equals(definition.entryMode());
        String match = switch (definition.dateAttribute().get()) {
            case "birthday" -> "a.birthday_month_day = to_char(day.d, 'MM-DD')";
            case "lastOrder" -> "a.last_order_at >= day.d AND a.last_order_at < day.d + 1";
            default -> "a.registered_at >= day.d AND a.registered_at < day.d + 1";
        };
        return NativeSql.execute("""
                WITH day AS (SELECT CAST(now() AT TIME ZONE 'UTC' AS date) - CAST(:offset AS integer) AS d)
                INSERT INTO journey_instance (id, journey_id, version, customer_id, status, step_id, due_at, context, entered_at)
                SELECT gen_random_uuid(), :journey, :version, a.customer_id, 'active', CAST(:step AS text), now(),
                       jsonb_build_object('trigger', CAST(:attribute AS text)), now()
                FROM audience_customer a, day
                WHERE %s AND NOT EXISTS (SELECT 1 FROM retired_customer r WHERE r.customer_id = a.customer_id)
                  AND %s""".formatted(match, JourneyTriggers.entryAllowed("a.customer_id")),
                NativeSql.params("offset", definition.dateOffsetDays(), "journey", journey, "version", version,
                        "step", definition.firstStep(), "attribute", definition.dateAttribute().get(),
                        // a date trigger enters a customer at most once a day, whatever the entry rule allows beyond
                        "mode", always ? "oncePer" : definition.entryMode(),
                        "period", always ? (double) ONCE_A_DAY.toSeconds() : (double) definition.entryPeriod().toSeconds()))
                .replaceWithVoid();
    }

}
