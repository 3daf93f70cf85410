package io.custops.campaign.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.events.payload.OrderPlaced;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Item-to-item recommendations from co-purchases, kept fresh with every order: when a customer buys a SKU for the
 * first time, it pairs with each SKU they bought before (their latest 100) and with the order's other new SKUs. A
 * recommendation for SKU A ranks the SKUs B by how many customers bought both, with the confidence P(B | A) =
 * customers(A and B) ÷ customers(A); SKUs the customer already has are left out.
 */
@ApplicationScoped
public class Recommendations {
    private static final int HISTORY = 100;

    public record Recommendation(String sku, long customers, BigDecimal confidence) {
    }

    /** Records an order's SKUs for its (live) customer; set-based, a SKU the customer had before changes nothing. */
    public static Uni<Void> record(UUID customer, OrderPlaced order) {
        List<Map<String, Object>> skus = new ArrayList<>();
        if (order.items() != null) {
            order.items().stream().map(OrderPlaced.Item::sku).filter(s -> s != null && !s.isBlank()).distinct()
                    .forEach(sku -> skus.add(Map.of("sku", sku)));
        }
        if (skus.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> params = NativeSql.params("customer", customer, "skus", NativeSql.json(skus),
                "at", order.placedAt().atOffset(ZoneOffset.UTC), "history", HISTORY);
        return NativeSql.list("""
                WITH items AS (SELECT DISTINCT sku FROM jsonb_to_recordset(CAST(CAST(:skus AS text) AS jsonb)) AS x(sku text)),
                earlier AS (SELECT sku FROM customer_item WHERE customer_id = :customer AND sku NOT IN (SELECT sku FROM items)
                            ORDER BY first_at DESC LIMIT :history),
                fresh AS (INSERT INTO customer_item (customer_id, sku, first_at) SELECT :customer, sku, :at FROM items
                          ON CONFLICT DO NOTHING RETURNING sku),
                stats AS (INSERT INTO item_stat (sku, customers) SELECT sku, 1 FROM fresh
                          ON CONFLICT (sku) DO UPDATE SET customers = item_stat.customers + 1 RETURNING 1),
                pairs AS (SELECT f.sku AS a, o.sku AS b FROM fresh f
                          CROSS JOIN (SELECT sku FROM earlier UNION SELECT sku FROM fresh) o WHERE f.sku <> o.sku
                          UNION ALL
                          SELECT e.sku, f.sku FROM earlier e CROSS JOIN fresh f),
                counted AS (INSERT INTO item_pair (sku, other_sku, customers) SELECT a, b, 1 FROM pairs
                            ON CONFLICT (sku, other_sku) DO UPDATE SET customers = item_pair.customers + 1 RETURNING 1)
                SELECT (SELECT count(*) FROM stats) + (SELECT count(*) FROM counted)""", Long.class, params).replaceWithVoid();
    }

    /** The SKUs most often bought with any of {@code skus}, without those the customer (if given) already has. */
    public Uni<List<Recommendation>> forItems(List<String> skus, UUID customer, int limit) {
        return NativeSql.list("""
                SELECT p.other_sku, sum(p.customers), max(p.customers * 1.0 / s.customers)
                FROM item_pair p JOIN item_stat s ON s.sku = p.sku
                WHERE p.sku IN (SELECT jsonb_array_elements_text(CAST(CAST(:skus AS text) AS jsonb)))
                  AND p.other_sku NOT IN (SELECT jsonb_array_elements_text(CAST(CAST(:skus AS text) AS jsonb)))
                  AND (CAST(:customer AS uuid) IS NULL OR NOT EXISTS (SELECT 1 FROM customer_item c
                       WHERE c.customer_id = :customer AND c.sku = p.other_sku))
                GROUP BY p.other_sku ORDER BY 2 DESC, 3 DESC, 1 LIMIT :limit""", Object[].class,
                NativeSql.params("skus", NativeSql.json(skus), "customer", customer, "limit", limit))
                .map(rows -> rows.stream().map(r -> new Recommendation((String) r[0], ((Number) r[1]).longValue(),
                        new BigDecimal(r[2].toString()).setScale(4, RoundingMode.HALF_UP))).toList());
    }

    /** For a customer: what goes with what they bought most recently. */
    public Uni<List<Recommendation>> forCustomer(UUID customer, int limit) {
        return NativeSql.list("SELECT sku FROM customer_item WHERE customer_id = :customer ORDER BY first_at DESC, sku LIMIT 20",
                String.class, Map.of("customer", customer))
                .flatMap(skus -> skus.isEmpty() ? Uni.createFrom().item(List.<Recommendation>of()) : forItems(skus, customer, limit));
    }
}
