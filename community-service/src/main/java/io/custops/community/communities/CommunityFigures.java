package io.custops.community.communities;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.custops.community.loyalty.Ledger;
import io.custops.community.rest.dto.CommunityDtos.CommunityMetrics;
import io.custops.community.rest.dto.CommunityDtos.ProgrammeMetrics;
import io.custops.platform.persistence.NativeSql;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Community and programme figures, computed set-based in PostgreSQL for a window of days, through the API and as
 * Prometheus gauges (30-day window, refreshed on a schedule): members, posts per day, monthly active share,
 * activity participation, points earned and redeemed, redemption rate, referral rate.
 */
@ApplicationScoped
public class CommunityFigures {
    private static final Logger LOG = Logger.getLogger(CommunityFigures.class);
    private static final int GAUGE_DAYS = 30;

    private final MeterRegistry registry;
    private final AtomicReference<ProgrammeMetrics> latest = new AtomicReference<>();
    private final Map<UUID, Boolean> gauged = new ConcurrentHashMap<>();

    public CommunityFigures(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("custops_community_members", () -> value(m -> m.members())).description("Active members of all communities").register(registry);
        Gauge.builder("custops_community_posts_per_day", () -> value(ProgrammeMetrics::postsPerDay)).description("Posts per day, last 30 days")
                .register(registry);
        Gauge.builder("custops_community_active_share", () -> value(ProgrammeMetrics::activeShare))
                .description("Share of members active in their communities in the last 30 days").register(registry);
        Gauge.builder("custops_community_participation_rate", () -> value(ProgrammeMetrics::participationRate))
                .description("Attended of registered activity seats, last 30 days").register(registry);
        Gauge.builder("custops_loyalty_points_earned", () -> value(m -> m.pointsEarned())).description("Points earned, last 30 days").register(registry);
        Gauge.builder("custops_loyalty_points_redeemed", () -> value(m -> m.pointsRedeemed())).description("Points redeemed, last 30 days")
                .register(registry);
        Gauge.builder("custops_loyalty_redemption_rate", () -> value(ProgrammeMetrics::redemptionRate))
                .description("Points redeemed of points earned, last 30 days").register(registry);
        Gauge.builder("custops_referral_rate", () -> value(ProgrammeMetrics::referralRate))
                .description("Share of the last 30 days' new customers who came by referral").register(registry);
    }

    private double value(java.util.function.ToDoubleFunction<ProgrammeMetrics> metric) {
        ProgrammeMetrics m = latest.get();
        return m == null ? Double.NaN : metric.applyAsDouble(m);
    }

    @Scheduled(every = "${custops.communities.metrics-interval:5m}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refresh() {
        return Panache.withSession(() -> programme(GAUGE_DAYS))
                .invoke(m -> {
                    latest.set(m);
                    for (CommunityMetrics c : m.communities()) {
                        if (gauged.putIfAbsent(c.communityId(), true) == null) {
                            UUID id = c.communityId();
                            Gauge.builder("custops_community_members_by_community", () -> community(id, CommunityMetrics::members))
                                    .tag("community", id.toString()).register(registry);
                            Gauge.builder("custops_community_posts_per_day_by_community", () -> community(id, CommunityMetrics::postsPerDay))
                                    .tag("community", id.toString()).register(registry);
                            Gauge.builder("custops_community_active_share_by_community", () -> community(id, CommunityMetrics::activeShare))
                                    .tag("community", id.toString()).register(registry);
                        }
                    }
                })
                .onFailure().invoke(e -> LOG.warnf(e, "Community metrics refresh failed; the next one retries"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private double community(UUID id, java.util.function.ToDoubleFunction<CommunityMetrics> metric) {
        ProgrammeMetrics m = latest.get();
        return m == null ? Double.NaN : m.communities().stream().filter(c -> c.communityId().equals(id)).findFirst()
                .map(metric::applyAsDouble).orElse(Double.NaN);
    }

    /** Every live community's figures, and the programme's. */
    public Uni<ProgrammeMetrics> programme(int days) {
        return communities(null, days).flatMap(communities -> NativeSql.list("""
                SELECT (SELECT count(DISTINCT customer_id) FROM community_member WHERE status = 'active'),
                       (SELECT count(*) FROM post WHERE status <> 'erased' AND created_at >= now() - make_interval(days => :days)),
                       (SELECT count(DISTINCT customer_id) FROM (
                            SELECT author_id AS customer_id FROM post WHERE created_at >= now() - make_interval(days => :days)
                            UNION ALL SELECT author_id FROM post_comment WHERE created_at >= now() - make_interval(days => :days)
                            UNION ALL SELECT customer_id FROM post_like WHERE liked_at >= now() - make_interval(days => :days)
                            UNION ALL SELECT customer_id FROM activity_registration WHERE checked_in_at >= now() - make_interval(days => :days)
                        ) a WHERE customer_id IN (SELECT customer_id FROM community_member WHERE status = 'active')),
                       (SELECT count(*) FILTER (WHERE r.status IN ('registered', 'attended')) FROM activity_registration r JOIN activity x
                          ON x.id = r.activity_id WHERE x.starts_at >= now() - make_interval(days => :days) AND x.starts_at < now()),
                       (SELECT count(*) FILTER (WHERE r.status = 'attended') FROM activity_registration r JOIN activity x
                          ON x.id = r.activity_id WHERE x.starts_at >= now() - make_interval(days => :days) AND x.starts_at < now()),
                       (SELECT coalesce(sum(points), 0) FROM points_entry WHERE kind = 'earn' AND created_at >= now() - make_interval(days => :days)),
                       (SELECT coalesce(-sum(points), 0) FROM points_entry WHERE kind = 'redeem' AND created_at >= now() - make_interval(days => :days)),
                       (SELECT count(*) FROM customer_registration WHERE registered_at >= now() - make_interval(days => :days)),
                       (SELECT count(*) FROM referral r JOIN customer_registration c ON c.customer_id = r.referee_id
                          WHERE c.registered_at >= now() - make_interval(days => :days))""", Object[].class, Map.of("days", days))
                .map(rows -> {
                    Object[] r = rows.get(0);
                    long members = Ledger.n(r[0]);
                    long active = Ledger.n(r[2]);
                    long earned = Ledger.n(r[5]);
                    long redeemed = Ledger.n(r[6]);
                    long newCustomers = Ledger.n(r[7]);
                    long referred = Ledger.n(r[8]);
                    return new ProgrammeMetrics(days, members, round(Ledger.n(r[1]) / (double) days), active, share(active, members),
                            share(Ledger.n(r[4]), Ledger.n(r[3])), earned, redeemed, share(redeemed, earned), newCustomers, referred,
                            share(referred, newCustomers), communities);
                }));
    }

    /** One community's figures (or every live community's when {@code community} is null). */
    public Uni<List<CommunityMetrics>> communities(UUID community, int days) {
        return NativeSql.list("""
                WITH m AS (SELECT community_id, customer_id FROM community_member WHERE status = 'active'),
                active AS (
                    SELECT community_id, count(DISTINCT customer_id) AS n FROM (
                        SELECT p.community_id, p.author_id AS customer_id FROM post p WHERE p.created_at >= now() - make_interval(days => :days)
                        UNION ALL SELECT p.community_id, c.author_id FROM post_comment c JOIN post p ON p.id = c.post_id
                            WHERE c.created_at >= now() - make_interval(days => :days)
                        UNION ALL SELECT p.community_id, l.customer_id FROM post_like l JOIN post p ON p.id = l.post_id
                            WHERE l.liked_at >= now() - make_interval(days => :days)
                        UNION ALL SELECT a.community_id, r.customer_id FROM activity_registration r JOIN activity a ON a.id = r.activity_id
                            WHERE r.checked_in_at >= now() - make_interval(days => :days) AND a.community_id IS NOT NULL
                    ) x WHERE (community_id, customer_id) IN (SELECT community_id, customer_id FROM m) GROUP BY community_id),
                seats AS (
                    SELECT a.community_id, count(*) FILTER (WHERE r.status IN ('registered', 'attended')) AS registered,
                           count(*) FILTER (WHERE r.status = 'attended') AS attended,
                           count(DISTINCT r.customer_id) FILTER (WHERE r.status = 'attended'
                               AND (a.community_id, r.customer_id) IN (SELECT community_id, customer_id FROM m)) AS attending_members
                    FROM activity a JOIN activity_registration r ON r.activity_id = a.id
                    WHERE a.community_id IS NOT NULL AND a.starts_at >= now() - make_interval(days => :days) AND a.starts_at < now()
                    GROUP BY a.community_id)
                SELECT c.id, c.name, (SELECT count(*) FROM m WHERE m.community_id = c.id),
                       (SELECT count(*) FROM post p WHERE p.community_id = c.id AND p.status <> 'erased'
                          AND p.created_at >= now() - make_interval(days => :days)),
                       coalesce(active.n, 0), coalesce(seats.registered, 0), coalesce(seats.attended, 0), coalesce(seats.attending_members, 0)
                FROM community c LEFT JOIN active ON active.community_id = c.id LEFT JOIN seats ON seats.community_id = c.id
                WHERE NOT c.archived AND (CAST(:community AS uuid) IS NULL OR c.id = :community)
                ORDER BY lower(c.name) LIMIT 1000""", Object[].class, NativeSql.params("days", days, "community", community))
                .map(rows -> rows.stream().map(r -> {
                    long members = Ledger.n(r[2]);
                    long active = Ledger.n(r[4]);
                    return new CommunityMetrics((UUID) r[0], (String) r[1], days, members, round(Ledger.n(r[3]) / (double) days), active,
                            share(active, members), Ledger.n(r[5]), Ledger.n(r[6]), share(Ledger.n(r[6]), Ledger.n(r[5])),
                            share(Ledger.n(r[7]), members));
                }).toList());
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : round(part / (double) whole);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
