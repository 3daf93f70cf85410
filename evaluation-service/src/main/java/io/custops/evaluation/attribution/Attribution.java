package io.custops.evaluation.attribution;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.custops.evaluation.attribution.AttributionModels.Model;
import io.custops.evaluation.attribution.AttributionModels.Path;
import io.custops.evaluation.attribution.AttributionModels.Touch;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Builds the touchpoint paths from the facts and runs the attribution models over them. A conversion is an order placed
 * in the range; its path is the customer's touches in the lookback window before it and after their previous order (so
 * a touch is credited to one conversion at most). A touch is a message the customer engaged with (opened or clicked,
 * at the first engagement) or, with {@code touch=sent}, every message sent. Touches in the range that no order
 * followed within the lookback form one non-converting path per customer, which the Markov model needs.
 */
@ApplicationScoped
public class Attribution {
    public record Query(LocalDate from, LocalDate to, String by, Duration lookback, Duration halfLife, boolean engagedOnly, int top, ZoneId zone,
            String currency) {
    }

    public record Report(LocalDate from, LocalDate to, String by, String touch, long lookbackDays, double halfLifeDays, String currency,
            long paths, long convertingPaths, long directConversions, List<AttributionModels.Result> models) {
    }

    public Uni<Report> attribute(Query q) {
        String touchAt = q.engagedOnly() ? "least(opened_at, clicked_at)" : "sent_at";
        String key = "campaign".equals(q.by()) ? "CAST(campaign_id AS text)" : "channel";
        Map<String, Object> p = NativeSql.params("from", q.from(), "to", q.to().plusDays(1), "zone", q.zone().getId(), "currency", q.currency(),
                "lookback", q.lookback().toSeconds());
        String touches = """
                touches AS (SELECT customer_id, %s AS key, %s AS at FROM message_fact
                    WHERE %2$s >= CAST(CAST(:from AS date) AS timestamp) AT TIME ZONE :zone - make_interval(secs => :lookback)
                      AND %2$s < CAST(CAST(:to AS date) AS timestamp) AT TIME ZONE :zone AND %1$s IS NOT NULL)""".formatted(key, touchAt);
        Uni<List<Object[]>> converting = NativeSql.list("""
                WITH %s,
                orders AS (SELECT o.customer_id, o.order_id, o.placed_at, CASE WHEN o.currency = :currency THEN o.revenue ELSE 0 END AS value,
                        (SELECT max(e.placed_at) FROM order_fact e WHERE e.customer_id = o.customer_id AND e.placed_at < o.placed_at) AS previous
                    FROM order_fact o WHERE o.placed_at >= CAST(CAST(:from AS date) AS timestamp) AT TIME ZONE :zone
                      AND o.placed_at < CAST(CAST(:to AS date) AS timestamp) AT TIME ZONE :zone)
                SELECT o.customer_id || '/' || o.order_id, o.placed_at, o.value, t.key, t.at FROM orders o
                LEFT JOIN touches t ON t.customer_id = o.customer_id AND t.at < o.placed_at
                    AND t.at >= o.placed_at - make_interval(secs => :lookback) AND (o.previous IS NULL OR t.at > o.previous)
                ORDER BY 1, t.at""".formatted(touches), Object[].class, p);
        Uni<List<Object[]>> lapsed = NativeSql.list("""
                WITH %s
                SELECT CAST(t.customer_id AS text), t.key, t.at FROM touches t
                WHERE t.at >= CAST(CAST(:from AS date) AS timestamp) AT TIME ZONE :zone AND NOT EXISTS (SELECT 1 FROM order_fact o
                    WHERE o.customer_id = t.customer_id AND o.placed_at > t.at AND o.placed_at <= t.at + make_interval(secs => :lookback))
                ORDER BY 1, t.at""".formatted(touches), Object[].class, p);
        return converting.flatMap(c -> lapsed.map(l -> report(q, paths(c, l))));
    }

    private static List<Path> paths(List<Object[]> converting, List<Object[]> lapsed) {
        List<Path> paths = new ArrayList<>();
        Map<String, List<Touch>> conversions = new LinkedHashMap<>();
        Map<String, Object[]> outcome = new LinkedHashMap<>();
        for (Object[] r : converting) {
            List<Touch> touches = conversions.computeIfAbsent((String) r[0], k -> new ArrayList<>());
            outcome.putIfAbsent((String) r[0], r);
            if (r[3] != null) {
                touches.add(new Touch((String) r[3], NativeSql.instant(r[4])));
            }
        }
        conversions.forEach((id, touches) -> {
            Object[] r = outcome.get(id);
            paths.add(new Path(touches, true, NativeSql.instant(r[1]), ((Number) r[2]).doubleValue()));
        });
        Map<String, List<Touch>> open = new LinkedHashMap<>();
        for (Object[] r : lapsed) {
            open.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(new Touch((String) r[1], NativeSql.instant(r[2])));
        }
        open.values().forEach(touches -> paths.add(new Path(touches, false, null, 0)));
        return paths;
    }

    private static Report report(Query q, List<Path> paths) {
        List<AttributionModels.Result> results = new ArrayList<>();
        for (Model model : Model.values()) {
            results.add(AttributionModels.attribute(model, paths, q.halfLife(), q.top()));
        }
        long converting = paths.stream().filter(Path::converted).count();
        long direct = paths.stream().filter(p -> p.converted() && p.touches().isEmpty()).count();
        return new Report(q.from(), q.to(), q.by(), q.engagedOnly() ? "engaged" : "sent", q.lookback().toDays(), q.halfLife().toHours() / 24.0,
                q.currency(), paths.size(), converting, direct, results);
    }
}
