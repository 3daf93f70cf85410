package io.custops.campaign.journeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.campaign.service.AudienceApplier;
import io.custops.events.EventType;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a customer's event does to journeys, in the consumer's transaction: a goal reached exits the customer as
 * converted; a matching wait for the event goes on to its onEvent step at once; a matching trigger enters the
 * customer under the journey's entry rule. Events about a merged id apply to its survivor; about an erased one,
 * to nobody.
 */
@ApplicationScoped
public class JourneyTriggers {
    private final ActiveJourneys journeys;

    public JourneyTriggers(ActiveJourneys journeys) {
        this.journeys = journeys;
    }

    /** The entry rule as a condition on {@code customer}: once ever, once per period, or always. */
    static String entryAllowed(String customer) {
        return """
                NOT EXISTS (SELECT 1 FROM journey_instance e WHERE e.journey_id = :journey AND e.customer_id = %s
                    AND (CAST(:mode AS text) = 'once'
                         OR (CAST(:mode AS text) = 'oncePer' AND e.entered_at > now() - make_interval(secs => :period))))""".formatted(customer);
    }

    /** The short name journeys use for an event type: io.custops.activity.OrderPlaced.v1 → OrderPlaced. */
    static String name(String type) {
        String[] parts = type.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : type;
    }

    public Uni<Void> apply(IncomingEvent event) {
        if (EventType.fromType(event.type()).isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String name = name(event.type());
        UUID customer = event.subject();
        return AudienceApplier.liveId(customer)
                .flatMap(live -> live.isEmpty() ? Uni.createFrom().voidItem()
                        : journeys.active().flatMap(active -> goals(active, live.get(), name)
                                .flatMap(x -> waits(live.get(), name, event.data()))
                                .flatMap(x -> entries(active, live.get(), name, event))));
    }

    private Uni<Void> goals(List<ActiveJourneys.Active> active, UUID customer, String name) {
        List<UUID> converting = active.stream().filter(j -> j.definition().goalEvent().filter(name::equals).isPresent())
                .map(ActiveJourneys.Active::id).toList();
        if (converting.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return NativeSql.execute("""
                UPDATE journey_instance SET status = 'converted', reason = 'goal: ' || :name, finished_at = now(), waiting_event = NULL
                WHERE customer_id = :customer AND status = 'active'
                  AND journey_id IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:journeys AS text) AS jsonb)) x)""",
                NativeSql.params("customer", customer, "name", name, "journeys", NativeSql.json(converting))).replaceWithVoid();
    }

    /** Instances waiting for this event whose filters match go on to their onEvent step now. */
    private Uni<Void> waits(UUID customer, String name, JsonNode data) {
        return NativeSql.list("""
                SELECT id, journey_id, version, step_id FROM journey_instance
                WHERE customer_id = :customer AND status = 'active' AND waiting_event = :name FOR UPDATE""", Object[].class,
                Map.of("customer", customer, "name", name))
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        UUID instance = (UUID) r[0];
                        String stepId = (String) r[3];
                        chain = chain.flatMap(x -> journeys.version((UUID) r[1], ((Number) r[2]).intValue()).flatMap(definition -> {
                            JsonNode step = definition.step(stepId);
                            List<JsonNode> filters = new ArrayList<>();
                            step.path("where").forEach(filters::add);
                            if (!Conditions.matches(data, filters)) {
                                return Uni.createFrom().voidItem();
                            }
                            String next = step.has("onEvent") ? step.get("onEvent").asText() : definition.next(stepId).orElse(null);
                            return NativeSql.execute("""
                                    UPDATE journey_instance SET step_id = :next, waiting_event = NULL, due_at = now() WHERE id = :id""",
                                    NativeSql.params("id", instance, "next", next))
                                    .flatMap(y -> JourneyRunner.log(List.of(Map.of("instance_id", instance, "step_id", stepId,
                                            "outcome", "event " + name))));
                        }));
                    }
                    return chain;
                });
    }

    private Uni<Void> entries(List<ActiveJourneys.Active> active, UUID customer, String name, IncomingEvent event) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ActiveJourneys.Active journey : active) {
            JourneyDefinition d = journey.definition();
            boolean triggered = d.triggerEvent().filter(name::equals).isPresent() && Conditions.matches(event.data(), d.triggerFilters())
                    || "SegmentEntered".equals(name) && d.segmentEntered().map(s -> s.toString().equals(event.data().path("segmentId").asText())).orElse(false)
                    || "SegmentExited".equals(name) && d.segmentExited().map(s -> s.toString().equals(event.data().path("segmentId").asText())).orElse(false);
            if (triggered) {
                chain = chain.flatMap(x -> enter(journey, customer, context(name, event.data())));
            }
        }
        return chain;
    }

    private static Uni<Void> enter(ActiveJourneys.Active journey, UUID customer, Map<String, Object> context) {
        JourneyDefinition d = journey.definition();
        return NativeSql.execute("""
                INSERT INTO journey_instance (id, journey_id, version, customer_id, status, step_id, due_at, context, entered_at)
                SELECT gen_random_uuid(), :journey, :version, :customer, 'active', :step, now(), CAST(CAST(:context AS text) AS jsonb), now()
                WHERE EXISTS (SELECT 1 FROM journey WHERE id = :journey AND status = 'active') AND %s"""
                .formatted(entryAllowed("CAST(:customer AS uuid)")),
                NativeSql.params("journey", journey.id(), "version", journey.version(), "customer", customer, "step", d.firstStep(),
                        "context", NativeSql.json(context), "mode", d.entryMode(), "period", (double) d.entryPeriod().toSeconds()))
                .replaceWithVoid();
    }

    /** What the journey keeps of its trigger for its steps: the event, and for an order its id, SKUs and amount. */
    private static Map<String, Object> context(String name, JsonNode data) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("trigger", name);
        if (data.has("orderId")) {
            context.put("orderId", data.get("orderId").asText());
        }
        List<String> skus = new ArrayList<>();
        data.path("items").forEach(item -> {
            if (item.hasNonNull("sku")) {
                skus.add(item.get("sku").asText());
            }
        });
        if (!skus.isEmpty()) {
            context.put("skus", skus);
        }
        if (data.has("amount")) {
            context.put("amount", data.get("amount"));
        }
        return context;
    }
}
