package io.custops.campaign.journeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.campaign.coupons.Coupons;
import io.custops.campaign.delivery.Contact;
import io.custops.campaign.delivery.ProfileApi;
import io.custops.campaign.service.Recommendations;
import io.custops.events.EventType;
import io.custops.platform.outbox.EventSource;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Moves customers through journeys, on every replica: claims due instances ({@code FOR UPDATE SKIP LOCKED}, with a
 * lease), advances each through its version's steps until it waits, waits for an event, or ends, and saves where
 * it stands together with the messages its send steps queue — in one statement, so a message is queued exactly
 * when its step is passed. A send's dedupe key is the instance and step, so an instance taken over after a crash
 * never sends a step twice. Every step's outcome is logged; a split's branch is recorded as the customer's variant of the
 * journey's experiment and announced with VariantAssigned.
 */
@ApplicationScoped
public class JourneyRunner {
    private static final Logger LOG = Logger.getLogger(JourneyRunner.class);
    private static final int MAX_STEPS = 50;
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration DEFAULT_CYCLE = Duration.ofDays(30);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ActiveJourneys journeys;
    private final ProfileApi profile;
    private final Recommendations recommendations;
    private final Coupons coupons;
    private final EventSource source;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final int batchSize;
    private final ZoneId defaultZone;

    public JourneyRunner(ActiveJourneys journeys, ProfileApi profile, Recommendations recommendations, Coupons coupons, EventSource source,
            ObjectMapper mapper, Clock clock,
            @ConfigProperty(name = "custops.journeys.batch-size", defaultValue = "200") int batchSize,
            @ConfigProperty(name = "custops.delivery.quiet-hours.default-time-zone", defaultValue = "UTC") String defaultZone) {
        this.journeys = journeys;
        this.profile = profile;
        this.recommendations = recommendations;
        this.coupons = coupons;
        this.source = source;
        this.mapper = mapper;
        this.clock = clock;
        this.batchSize = batchSize;
        this.defaultZone = ZoneId.of(defaultZone);
    }

    private record Claimed(UUID id, UUID journeyId, int version, UUID customerId, String stepId, String waitingEvent, Instant enteredAt,
            Map<String, Object> context, String variant, int attempts) {
    }

    /** Where an instance stands after its turn; {@code claimedStep}/{@code claimedWaiting} guard against a concurrent event. */
    private record Result(UUID id, String status, String stepId, Instant dueAt, String waitingEvent, String variant, String reason,
            String claimedStep, String claimedWaiting, Map<String, Object> context) {
    }

    /** What one round collects for the save. */
    private static final class Round {
        final List<Map<String, Object>> logs = new ArrayList<>();
        final List<Map<String, Object>> sends = new ArrayList<>();
        final List<Map<String, Object>> assignments = new ArrayList<>();
        Map<String, String> winners = Map.of();
        Map<UUID, Contact> contacts;

        private final Instant started = Instant.now();

        /** Log rows keep their order through distinct, increasing timestamps. */
        void log(UUID instance, String step, String outcome) {
            logs.add(NativeSql.params("instance_id", instance, "step_id", step, "outcome", outcome,
                    "at", started.plusNanos(1000L * logs.size())));
        }
    }

    @Scheduled(every = "${custops.journeys.poll-interval:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void work() {
        try {
            while (round() > 0) {
                // on while instances are due
            }
        } catch (Throwable e) {
            LOG.warnf("journey round failed, retrying: %s", e.toString());
        }
    }

    int round() throws Throwable {
        Instant now = Instant.now(clock);
        List<Claimed> claimed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> claim(now)));
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<String, JourneyDefinition> definitions = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> journeys.versions(claimed.stream().map(c -> Map.entry(c.journeyId(), c.version())).toList())));
        Map<UUID, Conditions.Facts> facts = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> facts(claimed.stream().map(Claimed::customerId).distinct().toList())));
        Round round = new Round();
        round.winners = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> winners(claimed)));
        List<Result> results = new ArrayList<>();
        for (Claimed instance : claimed) {
            try {
                results.add(advance(instance, definitions.get(instance.journeyId() + "@" + instance.version()), facts.get(instance.customerId()),
                        claimed, round, now));
            } catch (RuntimeException e) {
                LOG.warnf("journey instance %s: %s", instance.id(), e.toString());
                String reason = truncate(e.getMessage());
                results.add(instance.attempts() >= MAX_ATTEMPTS
                        ? new Result(instance.id(), "failed", instance.stepId(), null, null, null, reason, instance.stepId(), instance.waitingEvent(),
                                instance.context())
                        : new Result(instance.id(), "active", instance.stepId(), now.plus(Duration.ofSeconds(30L * instance.attempts())),
                                instance.waitingEvent(), null, reason, instance.stepId(), instance.waitingEvent(), instance.context()));
            }
        }
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> save(results, round)));
        return claimed.size();
    }

    private Result advance(Claimed instance, JourneyDefinition definition, Conditions.Facts facts, List<Claimed> batch, Round round,
            Instant now) {
        String stepId = instance.stepId();
        String variant = instance.variant();
        if (instance.waitingEvent() != null) {
            JsonNode step = definition.step(stepId);
            round.log(instance.id(), stepId, "timeout");
            stepId = step.has("onTimeout") ? step.get("onTimeout").asText() : definition.next(stepId).orElse(null);
        }
        for (int n = 0; n < MAX_STEPS; n++) {
            if (stepId == null) {
                return result(instance, "completed", null, null, null, variant, null);
            }
            JsonNode step = definition.step(stepId);
            String next = definition.next(stepId).orElse(null);
            switch (step.get("type").asText()) {
                case "exit" -> {
                    round.log(instance.id(), stepId, "exit");
                    return result(instance, "exited", stepId, null, null, variant, "exit step " + stepId);
                }
                case "wait" -> {
                    Instant due = waitUntil(step, now, () -> zone(instance.customerId(), batch, round));
                    if (due.isAfter(now)) {
                        round.log(instance.id(), stepId, "wait until " + due);
                        return result(instance, "active", next, due, null, variant, null);
                    }
                    round.log(instance.id(), stepId, "wait over");
                    stepId = next;
                }
                case "waitForEvent" -> {
                    String event = step.get("event").asText();
                    Instant timeout = now.plus(timeout(step, facts));
                    round.log(instance.id(), stepId, "waiting for " + event + " until " + timeout);
                    return result(instance, "active", stepId, timeout, event, variant, null);
                }
                case "condition" -> {
                    boolean holds = facts != null && Conditions.test(step.get("if"), facts, instance.enteredAt());
                    round.log(instance.id(), stepId, holds ? "then" : "else");
                    String branch = holds ? "then" : "else";
                    stepId = step.has(branch) ? step.get(branch).asText() : next;
                }
                case "split" -> {
                    JsonNode branch = winner(step, round.winners.get(instance.journeyId() + "/" + stepId)).orElseGet(() -> branch(step, instance));
                    variant = branch.has("variant") ? branch.get("variant").asText() : branch.get("next").asText();
                    round.log(instance.id(), stepId, "branch " + variant);
                    boolean promoted = round.winners.containsKey(instance.journeyId() + "/" + stepId);
                    round.assignments.add(NativeSql.params("instance_id", instance.id(), "journey_id", instance.journeyId(), "step", stepId,
                            "customer_id", instance.customerId(), "variant", variant, "share", promoted ? null : share(step, branch)));
                    stepId = branch.get("next").asText();
                }
                case "send" -> {
                    round.sends.add(NativeSql.params("instance_id", instance.id(), "customer_id", instance.customerId(),
                            "template_id", step.get("templateId").asText(), "journey_id", instance.journeyId(),
                            "dedupe_key", "journey:" + instance.id() + ":" + stepId, "data", sendData(step, instance)));
                    round.log(instance.id(), stepId, "message queued");
                    stepId = next;
                }
                case "coupon" -> {
                    String as = step.path("as").asText("coupon");
                    try {
                        UUID pool = UUID.fromString(step.get("poolId").asText());
                        String key = "journey:" + instance.id() + ":" + stepId;
                        String code = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> coupons.issue(pool,
                                instance.customerId(), "journey:" + instance.journeyId(), key))).code();
                        instance.context().put(as, code);
                        round.log(instance.id(), stepId, "coupon issued");
                    } catch (ProblemException refused) {
                        round.log(instance.id(), stepId, truncate("no coupon: " + refused.getMessage()));
                    } catch (Throwable e) {
                        throw new IllegalStateException("coupon issuance failed: " + e.getMessage(), e);
                    }
                    stepId = next;
                }
                case "tag" -> {
                    try {
                        profile.tag(instance.customerId(), step.get("group").asText(), step.get("tag").asText(),
                                step.path("remove").asBoolean(false));
                        round.log(instance.id(), stepId, (step.path("remove").asBoolean(false) ? "untagged " : "tagged ")
                                + step.get("group").asText() + "/" + step.get("tag").asText());
                    } catch (IllegalArgumentException refused) {
                        round.log(instance.id(), stepId, truncate("tag refused: " + refused.getMessage()));
                    }
                    stepId = next;
                }
                default -> throw new IllegalStateException("unknown step type " + step.get("type"));
            }
        }
        return result(instance, "failed", stepId, null, null, variant, "more than " + MAX_STEPS + " steps without a wait");
    }

    private static Result result(Claimed instance, String status, String stepId, Instant dueAt, String waitingEvent, String variant,
            String reason) {
        return new Result(instance.id(), status, stepId, dueAt, waitingEvent, variant, reason, instance.stepId(), instance.waitingEvent(),
                instance.context());
    }

    /** A wait: after the duration, not before the instant, then at the next local time in the customer's zone. */
    static Instant waitUntil(JsonNode step, Instant now, java.util.function.Supplier<ZoneId> zone) {
        Instant due = now;
        if (step.has("duration")) {
            due = now.plus(Duration.parse(step.get("duration").asText()));
        }
        if (step.has("until")) {
            Instant until = Instant.parse(step.get("until").asText());
            due = until.isAfter(due) ? until : due;
        }
        if (step.has("localTime")) {
            ZonedDateTime local = due.atZone(zone.get());
            ZonedDateTime at = local.with(LocalTime.parse(step.get("localTime").asText()));
            due = (at.isAfter(local) ? at : at.plusDays(1)).toInstant();
        }
        return due;
    }

    /** The timeout of a wait for an event: fixed, or the customer's own purchase cycle × factor within its bounds. */
    static Duration timeout(JsonNode step, Conditions.Facts facts) {
        if (step.has("timeout")) {
            return Duration.parse(step.get("timeout").asText());
        }
        JsonNode cycle = step.get("timeoutFromPurchaseCycle");
        Duration own = facts != null && facts.orderCount() >= 2 && facts.firstOrderAt() != null && facts.lastOrderAt() != null
                ? Duration.between(facts.firstOrderAt(), facts.lastOrderAt()).dividedBy(facts.orderCount() - 1) : DEFAULT_CYCLE;
        Duration timeout = Duration.ofSeconds((long) (own.toSeconds() * cycle.get("factor").asDouble()));
        if (cycle.has("minimum") && timeout.compareTo(Duration.parse(cycle.get("minimum").asText())) < 0) {
            timeout = Duration.parse(cycle.get("minimum").asText());
        }
        if (cycle.has("maximum") && timeout.compareTo(Duration.parse(cycle.get("maximum").asText())) > 0) {
            timeout = Duration.parse(cycle.get("maximum").asText());
        }
        return timeout;
    }

    /** The branch of a split: a deterministic hash of the customer, journey and step, over the branches' weights. */
    static JsonNode branch(JsonNode step, UUID customer, UUID journey) {
        int total = 0;
        for (JsonNode b : step.get("branches")) {
            total += b.get("weight").asInt();
        }
        long point = Math.floorMod(hash(customer + "|" + journey + "|" + step.get("id").asText()), (long) total);
        for (JsonNode b : step.get("branches")) {
            point -= b.get("weight").asInt();
            if (point < 0) {
                return b;
            }
        }
        return step.get("branches").get(0);
    }

    /** The branch's planned share of the split: its weight over all the branches' weights. */
    static java.math.BigDecimal share(JsonNode step, JsonNode branch) {
        int total = 0;
        for (JsonNode b : step.get("branches")) {
            total += b.get("weight").asInt();
        }
        return java.math.BigDecimal.valueOf(branch.get("weight").asInt()).divide(java.math.BigDecimal.valueOf(total), 4,
                java.math.RoundingMode.HALF_UP);
    }

    /** The branch of a promoted winner, when the split has one. */
    private static java.util.Optional<JsonNode> winner(JsonNode step, String variant) {
        if (variant != null) {
            for (JsonNode b : step.get("branches")) {
                if (variant.equals(b.path("variant").asText(b.get("next").asText()))) {
                    return java.util.Optional.of(b);
                }
            }
        }
        return java.util.Optional.empty();
    }

    private Uni<Map<String, String>> winners(List<Claimed> claimed) {
        return NativeSql.list("""
                SELECT CAST(journey_id AS text) || '/' || step, variant FROM journey_winner
                WHERE journey_id IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x)""",
                Object[].class, Map.of("ids", NativeSql.json(claimed.stream().map(Claimed::journeyId).distinct().toList())))
                .map(rows -> {
                    Map<String, String> winners = new HashMap<>();
                    rows.forEach(r -> winners.put((String) r[0], (String) r[1]));
                    return winners;
                });
    }

    private static JsonNode branch(JsonNode step, Claimed instance) {
        return branch(step, instance.customerId(), instance.journeyId());
    }

    private static long hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The send data: the step's own, what the journey kept of its trigger, and recommendations when asked. */
    private String sendData(JsonNode step, Claimed instance) {
        Map<String, Object> data = new LinkedHashMap<>(instance.context());
        if (step.has("data")) {
            data.putAll(mapper.convertValue(step.get("data"), MAP));
        }
        if (step.has("recommendations")) {
            int limit = step.get("recommendations").asInt();
            Object skus = instance.context().get("skus");
            try {
                List<Recommendations.Recommendation> found = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                        () -> skus instanceof List<?> list && !list.isEmpty()
                                ? recommendations.forItems(list.stream().map(String::valueOf).toList(), instance.customerId(), limit)
                                : recommendations.forCustomer(instance.customerId(), limit)));
                data.put("recommendations", found);
            } catch (Throwable e) {
                throw new IllegalStateException("recommendations unavailable: " + e.getMessage(), e);
            }
        }
        return NativeSql.json(data);
    }

    private ZoneId zone(UUID customer, List<Claimed> batch, Round round) {
        if (round.contacts == null) {
            try {
                round.contacts = profile.lookup(batch.stream().map(Claimed::customerId).toList());
            } catch (RuntimeException e) {
                LOG.warnf("contact lookup for local times failed, using %s: %s", defaultZone, e.getMessage());
                round.contacts = Map.of();
            }
        }
        Contact contact = round.contacts.get(customer);
        try {
            return contact == null || contact.timeZone() == null || contact.timeZone().isBlank() ? defaultZone : ZoneId.of(contact.timeZone());
        } catch (DateTimeException e) {
            return defaultZone;
        }
    }

    private Uni<List<Claimed>> claim(Instant now) {
        return NativeSql.list("""
                UPDATE journey_instance SET lease_until = CAST(:now AS timestamptz) + interval '60 seconds', attempts = attempts + 1
                WHERE id IN (SELECT i.id FROM journey_instance i WHERE i.status = 'active' AND i.due_at <= :now
                               AND (i.lease_until IS NULL OR i.lease_until < :now)
                               AND EXISTS (SELECT 1 FROM journey j WHERE j.id = i.journey_id AND j.status = 'active')
                             ORDER BY i.due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING id, journey_id, version, customer_id, step_id, waiting_event, entered_at, CAST(context AS text), variant, attempts""",
                Object[].class, NativeSql.params("now", now.atOffset(ZoneOffset.UTC), "limit", batchSize))
                .map(rows -> rows.stream().map(r -> {
                    try {
                        return new Claimed((UUID) r[0], (UUID) r[1], ((Number) r[2]).intValue(), (UUID) r[3], (String) r[4], (String) r[5],
                                NativeSql.instant(r[6]), mapper.readValue((String) r[7], MAP), (String) r[8], ((Number) r[9]).intValue());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList());
    }

    private Uni<Map<UUID, Conditions.Facts>> facts(List<UUID> customers) {
        return NativeSql.list("""
                SELECT c.id, a.tier, CAST(a.scores AS text), a.locale, a.region, coalesce(a.order_count, 0), a.first_order_at, a.last_order_at,
                       (SELECT CAST(coalesce(jsonb_agg(sm.segment_id), '[]') AS text) FROM segment_member sm WHERE sm.customer_id = c.id),
                       (SELECT max(opened_at) FROM message m WHERE m.customer_id = c.id),
                       (SELECT max(clicked_at) FROM message m WHERE m.customer_id = c.id)
                FROM (SELECT CAST(x AS uuid) AS id FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x) c
                LEFT JOIN audience_customer a ON a.customer_id = c.id""", Object[].class, Map.of("ids", NativeSql.json(customers)))
                .map(rows -> {
                    Map<UUID, Conditions.Facts> facts = new HashMap<>();
                    for (Object[] r : rows) {
                        Set<UUID> segments = new HashSet<>();
                        Journeys.json((String) r[8]).forEach(s -> segments.add(UUID.fromString(s.asText())));
                        facts.put((UUID) r[0], new Conditions.Facts((String) r[1], r[2] == null ? null : Journeys.json((String) r[2]),
                                (String) r[3], (String) r[4], ((Number) r[5]).intValue(), NativeSql.instant(r[6]), NativeSql.instant(r[7]),
                                segments, NativeSql.instant(r[9]), NativeSql.instant(r[10])));
                    }
                    return facts;
                });
    }

    private Uni<Void> save(List<Result> results, Round round) {
        List<Map<String, Object>> rows = results.stream().map(r -> NativeSql.params("id", r.id(), "status", r.status(), "step_id", r.stepId(),
                "due_at", r.dueAt(), "waiting_event", r.waitingEvent(), "variant", r.variant(), "reason", r.reason(),
                "claimed_step", r.claimedStep(), "claimed_waiting", r.claimedWaiting(), "context", NativeSql.json(r.context()))).toList();
        return NativeSql.list("""
                WITH updated AS (
                    UPDATE journey_instance i SET status = r.status, step_id = r.step_id, due_at = coalesce(r.due_at, i.due_at),
                        waiting_event = r.waiting_event, variant = coalesce(r.variant, i.variant), reason = r.reason, lease_until = NULL,
                        context = CAST(r.context AS jsonb),
                        attempts = CASE WHEN r.reason IS NULL THEN 0 ELSE i.attempts END,
                        finished_at = CASE WHEN r.status <> 'active' THEN now() END
                    FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r(id uuid, status text, step_id text, due_at timestamptz,
                        waiting_event text, variant text, reason text, claimed_step text, claimed_waiting text, context text)
                    WHERE i.id = r.id AND i.status = 'active' AND i.step_id IS NOT DISTINCT FROM r.claimed_step
                      AND i.waiting_event IS NOT DISTINCT FROM r.claimed_waiting
                    RETURNING i.id),
                logged AS (
                    INSERT INTO journey_step_log (instance_id, at, step_id, outcome)
                    SELECT l.instance_id, l.at, l.step_id, l.outcome
                    FROM jsonb_to_recordset(CAST(CAST(:logs AS text) AS jsonb)) AS l(instance_id uuid, step_id text, outcome text, at timestamptz)
                    JOIN updated u ON u.id = l.instance_id RETURNING 1),
                sent AS (
                    INSERT INTO message (id, customer_id, channel, category, template_id, journey_id, budget_pool_id, dedupe_key, data, status,
                        not_before, created_by, created_at)
                    SELECT gen_random_uuid(), s.customer_id, t.channel, t.category, t.id, s.journey_id, j.budget_pool_id, s.dedupe_key,
                           CAST(s.data AS jsonb), 'queued', now(), 'journey', now()
                    FROM jsonb_to_recordset(CAST(CAST(:sends AS text) AS jsonb))
                        AS s(instance_id uuid, customer_id uuid, template_id uuid, journey_id uuid, dedupe_key text, data text)
                    JOIN updated u ON u.id = s.instance_id JOIN template t ON t.id = s.template_id JOIN journey j ON j.id = s.journey_id
                    ON CONFLICT (customer_id, dedupe_key) WHERE status <> 'suppressed' DO NOTHING RETURNING 1),
                assigned AS (
                    INSERT INTO experiment_assignment (experiment_id, step, customer_id, variant, assigned_at)
                    SELECT a.journey_id, a.step, a.customer_id, a.variant, now()
                    FROM jsonb_to_recordset(CAST(CAST(:assignments AS text) AS jsonb))
                        AS a(instance_id uuid, journey_id uuid, step text, customer_id uuid, variant text, share numeric)
                    JOIN updated u ON u.id = a.instance_id
                    ON CONFLICT DO NOTHING RETURNING experiment_id, step, customer_id, variant),
                announced AS (
                    INSERT INTO outbox_event (event_id, type, topic, subject, source, occurred_at, data)
                    SELECT gen_random_uuid(), :variantType, :topic, CAST(customer_id AS text), :source, now(),
                           CAST(jsonb_build_object('customerId', customer_id, 'experimentId', experiment_id, 'experimentKind', 'journey',
                               'step', step, 'variant', variant, 'assignedAt', CAST(:nowText AS text),
                               'plannedShare', (SELECT a.share FROM jsonb_to_recordset(CAST(CAST(:assignments AS text) AS jsonb))
                                   AS a(journey_id uuid, step text, customer_id uuid, share numeric)
                                   WHERE a.journey_id = assigned.experiment_id AND a.step = assigned.step AND a.customer_id = assigned.customer_id
                                   LIMIT 1)) AS text)
                    FROM assigned RETURNING 1)
                SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM logged) + (SELECT count(*) FROM sent)
                       + (SELECT count(*) FROM announced)""", Long.class,
                NativeSql.params("rows", NativeSql.json(rows), "logs", NativeSql.json(round.logs), "sends", NativeSql.json(round.sends),
                        "assignments", NativeSql.json(round.assignments), "variantType", EventType.VARIANT_ASSIGNED.type(),
                        "topic", EventType.VARIANT_ASSIGNED.topic(), "source", source.uri(), "nowText", Instant.now(clock).toString()))
                .replaceWithVoid();
    }

    /** Step log rows written outside a round (an event that ended a wait). */
    static Uni<Void> log(List<Map<String, Object>> logs) {
        return NativeSql.execute("""
                INSERT INTO journey_step_log (instance_id, at, step_id, outcome)
                SELECT instance_id, clock_timestamp(), step_id, outcome
                FROM jsonb_to_recordset(CAST(CAST(:logs AS text) AS jsonb)) AS l(instance_id uuid, step_id text, outcome text)""",
                Map.of("logs", NativeSql.json(logs))).replaceWithVoid();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500);
    }
}
