package io.custops.campaign.journeys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.custops.campaign.coupons.Coupons;
import io.custops.campaign.rest.dto.CouponDtos.PoolRequest;
import io.custops.campaign.rest.dto.JourneyDtos.JourneyRequest;
import io.custops.campaign.rest.dto.JourneyDtos.JourneyTemplate;
import io.custops.campaign.rest.dto.JourneyDtos.JourneyView;
import io.custops.campaign.rest.dto.TemplateDtos.Content;
import io.custops.campaign.rest.dto.TemplateDtos.TemplateRequest;
import io.custops.campaign.service.Templates;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ready journeys of the source plans, shipped in {@code journey-templates/}: each with its message templates and
 * coupon pools (referred to as {@code "@name"} in its definition). Instantiating one creates them and the journey
 * as a draft.
 */
@ApplicationScoped
public class JourneyTemplates {
    public static final List<String> KEYS = List.of("birthday-greeting", "related-products", "win-back", "replenishment",
            "first-order", "churn-rescue");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, JsonNode> seeds = new LinkedHashMap<>();
    private final Templates templates;
    private final Journeys journeys;
    private final Coupons coupons;

    public JourneyTemplates(Templates templates, Journeys journeys, Coupons coupons) {
        this.templates = templates;
        this.journeys = journeys;
        this.coupons = coupons;
        for (String key : KEYS) {
            seeds.put(key, read("journey-templates/" + key + ".json"));
        }
    }

    public List<JourneyTemplate> list() {
        List<JourneyTemplate> list = new ArrayList<>();
        seeds.forEach((key, seed) -> {
            List<String> names = new ArrayList<>();
            seed.path("messageTemplates").fieldNames().forEachRemaining(names::add);
            list.add(new JourneyTemplate(key, seed.get("name").asText(), seed.get("description").asText(), names, seed.get("definition")));
        });
        return list;
    }

    public Uni<JourneyView> instantiate(String key, String actor) {
        JsonNode seed = seeds.get(key);
        if (seed == null) {
            throw ProblemException.notFound("No ready journey " + key + "; they are " + String.join(", ", KEYS) + ".");
        }
        String suffix = " · " + UUID.randomUUID().toString().substring(0, 8);
        String name = seed.get("name").asText() + suffix;
        Map<String, UUID> created = new HashMap<>();
        Map<String, UUID> pools = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, JsonNode> message : (Iterable<Map.Entry<String, JsonNode>>) () -> seed.get("messageTemplates").fields()) {
            JsonNode t = message.getValue();
            Map<String, Content> contents = new LinkedHashMap<>();
            t.get("contents").fields().forEachRemaining(c -> contents.put(c.getKey(),
                    new Content(c.getValue().path("subject").isMissingNode() ? null : c.getValue().get("subject").asText(),
                            c.getValue().get("body").asText())));
            TemplateRequest request = new TemplateRequest(name + " · " + message.getKey(), t.get("channel").asText(),
                    t.get("category").asText(), t.get("defaultLocale").asText(), contents, null);
            chain = chain.flatMap(x -> templates.create(request, actor)).invoke(template -> created.put(message.getKey(), template.id()))
                    .replaceWithVoid();
        }
        for (Map.Entry<String, JsonNode> pool : (Iterable<Map.Entry<String, JsonNode>>) () -> seed.path("couponPools").fields()) {
            JsonNode p = pool.getValue();
            PoolRequest request = new PoolRequest(name + " · " + pool.getKey(), p.get("kind").asText(), p.get("prefix").asText(),
                    p.get("discount").asText(), p.get("perCustomerLimit").asInt(), p.get("validDays").asInt(), null, null, null, null);
            chain = chain.flatMap(x -> coupons.create(request, actor)).invoke(madePool -> pools.put(pool.getKey(), madePool.id()))
                    .replaceWithVoid();
        }
        return chain.flatMap(x -> journeys.create(new JourneyRequest(name, seed.get("description").asText(),
                resolve(seed.get("definition").deepCopy(), created, pools), null, null), actor));
    }

    /** Replaces every {@code "templateId": "@name"} and {@code "poolId": "@name"} with the id created for it. */
    private static JsonNode resolve(JsonNode definition, Map<String, UUID> templates, Map<String, UUID> pools) {
        for (JsonNode step : definition.path("steps")) {
            for (Map.Entry<String, Map<String, UUID>> field : Map.of("templateId", templates, "poolId", pools).entrySet()) {
                String ref = step.path(field.getKey()).asText("");
                if (ref.startsWith("@")) {
                    ((ObjectNode) step).put(field.getKey(), field.getValue().get(ref.substring(1)).toString());
                }
            }
        }
        return definition;
    }

    /** The journey language's JSON Schema. */
    public static JsonNode schema() {
        return read("schemas/journey-definition.schema.json");
    }

    private static JsonNode read(String resource) {
        try (InputStream in = JourneyTemplates.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
