package io.custops.local.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The one synthetic data generator of DESIGN.md §8: deterministic for a seed, with customers whose behaviour
 * follows the plans' value tiers — about 12% champions (frequent, high spend), 23% loyal, 45% occasional and 20%
 * lapsing — log-normal order values, purchase gaps around each customer's own cycle, interactions that thin out
 * for lapsing customers, and NPS answers that track the tier. Feeds the demo data, the benchmarks and the large
 * known-answer tests.
 */
public final class SyntheticData {
    private static final String[] FIRST = { "Ada", "Bo", "Chen", "Dana", "Eli", "Fang", "Gus", "Hana", "Ivo", "Jia", "Kai",
            "Lena", "Ming", "Nora", "Omar", "Pia", "Qing", "Rui", "Sara", "Tao", "Uma", "Vik", "Wei", "Xia", "Yan", "Zoe" };
    private static final String[] LAST = { "Li", "Wang", "Zhang", "Liu", "Chen", "Smith", "Müller", "Garcia", "Rossi", "Kim" };
    private static final String[] REGIONS = { "Shanghai", "Beijing", "Guangdong", "Zhejiang", "Jiangsu", "Sichuan", "Berlin", "Paris" };
    private static final String[] CATEGORIES = { "skincare", "makeup", "haircare", "fragrance", "wellness", "accessories" };
    private static final String[] INTERACTIONS = { "login", "app_open", "page_view", "product_view", "search", "cart_add" };
    private static final Instant EPOCH = Instant.parse("2025-11-01T00:00:00Z");

    private final long seed;

    public SyntheticData(long seed) {
        this.seed = seed;
    }

    /** The tier of customer {@code i}: 0 champion, 1 loyal, 2 occasional, 3 lapsing (12/23/45/20%). */
    public static int tier(long i) {
        long bucket = Math.floorMod(i * 2654435761L, 100);
        return bucket < 12 ? 0 : bucket < 35 ? 1 : bucket < 80 ? 2 : 3;
    }

    /** Customer {@code i}'s e-mail; the seed is part of it, so runs with different seeds never collide. */
    public String email(long i) {
        return "c" + seed + "." + i + "@example.test";
    }

    /** Profiles as a CSV export of a CRM: identifiers, personal fields, source. */
    public void writeProfilesCsv(Path file, long customers) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,phone,crm_id,source,firstName,lastName,gender,birthday,region\n");
            for (long i = 0; i < customers; i++) {
                SplittableRandom r = random(i);
                out.write(email(i) + ",+86138" + String.format("%08d", (seed * 7919 + i) % 100_000_000) + ",CRM" + seed + "." + i + ",crm,"
                        + FIRST[r.nextInt(FIRST.length)] + "," + LAST[r.nextInt(LAST.length)] + ","
                        + (r.nextBoolean() ? "female" : "male") + "," + (1960 + r.nextInt(45)) + "-0" + (1 + r.nextInt(9))
                        + "-1" + r.nextInt(10) + "," + REGIONS[r.nextInt(REGIONS.length)] + "\n");
            }
        }
    }

    /** {@code count} activity events spread over {@code customers}, as items of POST /api/events (JSON). */
    public List<String> events(long customers, long offset, int count) {
        List<String> events = new ArrayList<>(count);
        for (long n = offset; n < offset + count; n++) {
            SplittableRandom r = random(n * 31 + 7);
            long customer = r.nextLong(customers);
            int tier = tier(customer);
            Instant at = EPOCH.plus(r.nextLong(365L * 24 * 60), ChronoUnit.MINUTES);
            String who = "\"identifiers\":[{\"type\":\"email\",\"value\":\"" + email(customer) + "\"}]";
            double kind = r.nextDouble();
            if (kind < 0.35) {
                double value = Math.exp(3.5 + (3 - tier) * 0.35 + r.nextGaussian() * 0.6);
                String amount = String.format(java.util.Locale.ROOT, "%.2f", value);
                events.add("{\"eventId\":\"o-" + seed + "-" + n + "\",\"type\":\"OrderPlaced\"," + who + ",\"occurredAt\":\"" + at
                        + "\",\"source\":\"pos\",\"channel\":\"store\",\"data\":{\"orderId\":\"O" + seed + "-" + n
                        + "\",\"total\":{\"value\":\"" + amount + "\",\"currency\":\"CNY\"},\"lines\":[{\"sku\":\"SKU"
                        + r.nextInt(500) + "\",\"category\":\"" + CATEGORIES[r.nextInt(CATEGORIES.length)]
                        + "\",\"quantity\":1,\"unitPrice\":{\"value\":\"" + amount + "\",\"currency\":\"CNY\"}}]}}");
            } else if (kind < 0.95) {
                events.add("{\"eventId\":\"i-" + seed + "-" + n + "\",\"type\":\"InteractionRecorded\"," + who
                        + ",\"occurredAt\":\"" + at + "\",\"source\":\"app\",\"channel\":\"app\",\"data\":{\"interactionType\":\""
                        + INTERACTIONS[r.nextInt(INTERACTIONS.length)] + "\"}}");
            } else {
                int nps = Math.max(0, Math.min(10, (int) Math.round(9 - tier * 1.5 + r.nextGaussian() * 1.5)));
                events.add("{\"eventId\":\"f-" + seed + "-" + n + "\",\"type\":\"FeedbackSubmitted\"," + who
                        + ",\"occurredAt\":\"" + at + "\",\"source\":\"survey\",\"data\":{\"feedbackId\":\"F" + seed + "-" + n
                        + "\",\"kind\":\"nps\",\"score\":" + nps + "}}");
            }
        }
        return events;
    }

    /** One order of {@link #orders}. */
    public record Order(String orderId, Instant placedAt, BigDecimal amount, String currency, String category, String sku) {
    }

    /**
     * Customer {@code i}'s order history up to {@code now}, by tier: champions about 60 orders over two years at a
     * short cycle, loyal about 30, occasional about 12, lapsing about 5 that stop 4–12 months before now (about 20
     * per customer overall). Gaps are exponential around the customer's own cycle; values are log-normal.
     */
    public List<Order> orders(long i, Instant now) {
        SplittableRandom r = random(i * 17 + 3);
        int tier = tier(i);
        int target = new int[] { 60, 30, 12, 5 }[tier];
        int count = Math.max(1, (int) Math.round(target * (0.5 + r.nextDouble())));
        long horizonDays = 730;
        Instant end = tier == 3 ? now.minus(120 + r.nextInt(240), ChronoUnit.DAYS) : now.minus(r.nextInt(tier * 20 + 10), ChronoUnit.DAYS);
        double cycleDays = Math.max(2, horizonDays / (double) count);
        List<Order> orders = new ArrayList<>(count);
        Instant at = end;
        for (int k = 0; k < count; k++) {
            double value = Math.exp(3.5 + (3 - tier) * 0.35 + r.nextGaussian() * 0.6);
            orders.add(new Order("O" + seed + "-" + i + "-" + k, at, BigDecimal.valueOf(Math.round(value * 100), 2), "CNY",
                    CATEGORIES[r.nextInt(CATEGORIES.length)], "SKU" + r.nextInt(500)));
            at = at.minus((long) (-Math.log(1 - r.nextDouble()) * cycleDays * 24 * 60) + 1, ChronoUnit.MINUTES);
        }
        return orders;
    }

    /** A stable customer id for customer {@code i} of this seed, for data loaded straight into a service. */
    public java.util.UUID customerId(long i) {
        return new java.util.UUID(0x5EED_0000_0000_0000L | (seed & 0xFFFF_FFFFL), i);
    }

    private SplittableRandom random(long i) {
        return new SplittableRandom(seed * 1_000_003L + i);
    }
}
