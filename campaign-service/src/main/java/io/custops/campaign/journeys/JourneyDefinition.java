package io.custops.campaign.journeys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import io.custops.platform.problem.Problem;

/**
 * A journey definition in the closed JSON language of {@code schemas/journey-definition.schema.json}: validated
 * against the schema and for its references (every step a step names exists, ids are unique), then read — never
 * evaluated as code.
 */
public final class JourneyDefinition {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = loadSchema();

    private final JsonNode root;
    private final Map<String, JsonNode> steps = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    private JourneyDefinition(JsonNode root) {
        this.root = root;
        for (JsonNode step : root.path("steps")) {
            steps.put(step.path("id").asText(), step);
            order.add(step.path("id").asText());
        }
    }

    /** The problems of a definition, as fields under {@code definition}; empty when it is valid. */
    public static List<Problem.FieldError> problems(JsonNode definition) {
        if (definition == null || definition.isNull() || definition.isMissingNode()) {
            return List.of(new Problem.FieldError("definition", "is required"));
        }
        List<Problem.FieldError> errors = new ArrayList<>(SCHEMA.validate(definition).stream()
                .map(m -> new Problem.FieldError(path(m.getInstanceLocation().toString()), m.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field)).distinct().toList());
        if (!errors.isEmpty()) {
            return errors;
        }
        JourneyDefinition parsed = new JourneyDefinition(definition);
        if (parsed.steps.size() != parsed.order.size()) {
            errors.add(new Problem.FieldError("definition.steps", "step ids must be unique"));
        }
        int i = 0;
        for (JsonNode step : definition.path("steps")) {
            String field = "definition.steps[" + i++ + "]";
            for (String ref : List.of("next", "then", "else", "onEvent", "onTimeout")) {
                refCheck(parsed, step.path(ref), field + "." + ref, errors);
            }
            int b = 0;
            for (JsonNode branch : step.path("branches")) {
                refCheck(parsed, branch.path("next"), field + ".branches[" + b++ + "].next", errors);
            }
        }
        JsonNode entry = definition.path("entry");
        if ("oncePer".equals(entry.path("mode").asText()) && !entry.has("period")) {
            errors.add(new Problem.FieldError("definition.entry.period", "is required for mode oncePer"));
        }
        return errors;
    }

    private static void refCheck(JourneyDefinition parsed, JsonNode ref, String field, List<Problem.FieldError> errors) {
        if (!ref.isMissingNode() && !parsed.steps.containsKey(ref.asText())) {
            errors.add(new Problem.FieldError(field, "names no step of this journey: " + ref.asText()));
        }
    }

    /** A definition that {@link #problems(JsonNode)} found valid. */
    public static JourneyDefinition of(JsonNode definition) {
        return new JourneyDefinition(definition);
    }

    public static JourneyDefinition parse(String json) {
        try {
            return of(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode json() {
        return root;
    }

    /** The customer event that enters customers, when the trigger is one. */
    public Optional<String> triggerEvent() {
        return text(root.path("trigger").path("event"));
    }

    public List<JsonNode> triggerFilters() {
        List<JsonNode> filters = new ArrayList<>();
        root.path("trigger").path("where").forEach(filters::add);
        return filters;
    }

    public Optional<UUID> segmentEntered() {
        return text(root.path("trigger").path("segmentEntered")).map(UUID::fromString);
    }

    public Optional<UUID> segmentExited() {
        return text(root.path("trigger").path("segmentExited")).map(UUID::fromString);
    }

    /** The date trigger's attribute (birthday, lastOrder, registered), when the trigger is one. */
    public Optional<String> dateAttribute() {
        return text(root.path("trigger").path("date").path("attribute"));
    }

    public int dateOffsetDays() {
        return root.path("trigger").path("date").path("offsetDays").asInt(0);
    }

    /** once, oncePer or always (the default: once). */
    public String entryMode() {
        return root.path("entry").path("mode").asText("once");
    }

    public Duration entryPeriod() {
        return text(root.path("entry").path("period")).map(Duration::parse).orElse(Duration.ZERO);
    }

    public Optional<String> goalEvent() {
        return text(root.path("goal").path("event"));
    }

    public String firstStep() {
        return order.get(0);
    }

    public JsonNode step(String id) {
        JsonNode step = steps.get(id);
        if (step == null) {
            throw new IllegalStateException("no step " + id);
        }
        return step;
    }

    /** Where a step goes on to: its {@code next}, else the step after it; empty after the last one. */
    public Optional<String> next(String id) {
        JsonNode step = step(id);
        if (step.has("next")) {
            return Optional.of(step.get("next").asText());
        }
        int at = order.indexOf(id);
        return at + 1 < order.size() ? Optional.of(order.get(at + 1)) : Optional.empty();
    }

    /** The message templates the send steps use. */
    public List<UUID> templates() {
        return steps.values().stream().filter(s -> s.has("templateId")).map(s -> UUID.fromString(s.get("templateId").asText())).toList();
    }

    private static Optional<String> text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    /** A validator location ({@code /steps/0/type} or {@code $.steps[0].type}) as {@code definition.steps[0].type}. */
    private static String path(String location) {
        String p = location.startsWith("$") ? location.substring(1) : location.replaceAll("/(\\d+)", "[$1]").replace('/', '.');
        return "definition" + (p.isEmpty() || p.startsWith(".") || p.startsWith("[") ? p : "." + p);
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = JourneyDefinition.class.getClassLoader().getResourceAsStream("schemas/journey-definition.schema.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(MAPPER.readTree(in), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
