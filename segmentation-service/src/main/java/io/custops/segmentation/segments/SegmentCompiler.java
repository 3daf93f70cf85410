package io.custops.segmentation.segments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;

/**
 * Compiles a segment definition (the closed JSON condition language of {@code schemas/segment-definition.schema.json})
 * into a SQL predicate over {@code customer_score s}. The definition is data: it is validated against the schema,
 * field names are looked up in fixed tables of SQL expressions, and every value the user supplied becomes a bound
 * parameter. Nothing from the definition is ever pasted into SQL or evaluated as an expression.
 */
public final class SegmentCompiler {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = loadSchema();
    /** Nesting deeper than this is refused (the schema cannot bound recursion). */
    private static final int MAX_DEPTH = 8;
    private static final String NOW = "CAST(:now AS timestamptz)";

    private static final Map<String, String> ATTRIBUTES = Map.of("region", "s.region", "locale", "s.locale",
            "registrationChannel", "s.registration_channel", "registrationSource", "s.registration_source",
            "currency", "s.currency");

    private static final Map<String, String> SCORES = Map.ofEntries(Map.entry("recencyScore", "s.r_score"),
            Map.entry("frequencyScore", "s.f_score"), Map.entry("monetaryScore", "s.m_score"),
            Map.entry("valueScore", "s.value_score"), Map.entry("valueGrade", "s.value_grade"),
            Map.entry("activityGrade", "s.activity_grade"), Map.entry("potentialGrade", "s.potential_grade"),
            Map.entry("healthIndex", "s.health_index"), Map.entry("orderCount", "s.order_count"),
            Map.entry("monetaryTotal", "s.monetary_total"), Map.entry("windowOrders", "s.window_orders"),
            Map.entry("windowMonetary", "s.window_monetary"), Map.entry("refundCount", "s.refund_count"),
            Map.entry("avgInterpurchaseDays", "s.avg_interpurchase_days"), Map.entry("interactions7d", "s.interactions_7d"),
            Map.entry("interactions30d", "s.interactions_30d"), Map.entry("interactions90d", "s.interactions_90d"),
            Map.entry("openComplaints", "s.open_complaints"), Map.entry("latestNps", "s.latest_nps"),
            Map.entry("latestCsat", "s.latest_csat"), Map.entry("ltvPredicted12Months", "s.ltv_predicted_12m"),
            Map.entry("probabilityAlive", "s.p_alive"),
            Map.entry("daysSinceLastOrder", "floor(extract(epoch FROM " + NOW + " - s.last_order_at) / 86400)"),
            Map.entry("daysSinceLastInteraction", "floor(extract(epoch FROM " + NOW + " - s.last_interaction_at) / 86400)"),
            Map.entry("daysSinceRegistration", "floor(extract(epoch FROM " + NOW + " - s.registered_at) / 86400)"));

    private static final Map<String, String> DATES = Map.of("registeredAt", "s.registered_at", "firstOrderAt",
            "s.first_order_at", "lastOrderAt", "s.last_order_at");

    /** The facts behind {@code performed}: table, timestamp column, and the filterable fields. */
    private record EventTable(String table, String at, Map<String, String> text, Map<String, String> arrays,
            Map<String, String> numbers) {
    }

    private static final Map<String, EventTable> EVENTS = Map.of(
            "order", new EventTable("order_fact", "placed_at", Map.of("channel", "channel", "store", "store", "source", "source"),
                    Map.of("category", "categories", "sku", "skus"), Map.of("amount", "amount", "itemCount", "item_count")),
            "refund", new EventTable("refund_fact", "refunded_at", Map.of("reason", "reason"), Map.of(), Map.of("amount", "amount")),
            "interaction", new EventTable("interaction_fact", "occurred_at", Map.of("type", "interaction_type", "channel", "channel"),
                    Map.of(), Map.of()),
            "feedback", new EventTable("feedback_fact", "submitted_at", Map.of("kind", "kind", "category", "category",
                    "channel", "channel"), Map.of(), Map.of("score", "score")));

    private static final Map<String, String> COMPARISONS = Map.of("eq", "=", "ne", "<>", "gt", ">", "gte", ">=", "lt", "<",
            "lte", "<=");

    /** A compiled definition: the predicate, its parameters, and whether it depends on the passing of time. */
    public record Compiled(String predicate, Map<String, Object> params, boolean timeRelative) {
    }

    private final Map<String, Object> params = new LinkedHashMap<>();
    private final List<Problem.FieldError> errors = new ArrayList<>();
    private boolean timeRelative;

    private SegmentCompiler() {
    }

    /** Validates and compiles; a definition that breaks the schema or the rules is a 400 problem naming each field. */
    public static Compiled compile(JsonNode definition) {
        if (definition == null || definition.isNull() || definition.isMissingNode()) {
            throw ProblemException.badRequest("A segment definition is required.",
                    List.of(new Problem.FieldError("definition", "is required")));
        }
        List<Problem.FieldError> violations = SCHEMA.validate(definition).stream()
                .map(m -> new Problem.FieldError(path(m.getInstanceLocation().toString()), m.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field)).toList();
        if (!violations.isEmpty()) {
            throw ProblemException.badRequest("The segment definition is not valid.", violations);
        }
        SegmentCompiler compiler = new SegmentCompiler();
        String predicate = compiler.condition(definition, "definition", 0);
        if (!compiler.errors.isEmpty()) {
            throw ProblemException.badRequest("The segment definition is not valid.", compiler.errors);
        }
        return new Compiled(predicate, Map.copyOf(compiler.params), compiler.timeRelative);
    }

    /** A validator location ({@code /all/0/score} or {@code $.all[0].score}) as {@code definition.all[0].score}. */
    private static String path(String location) {
        StringBuilder out = new StringBuilder("definition");
        for (String part : location.replaceFirst("^\\$", "").replace("[", "/").replace("]", "").replace(".", "/").split("/")) {
            if (!part.isEmpty()) {
                out.append(part.chars().allMatch(Character::isDigit) ? "[" + part + "]" : "." + part);
            }
        }
        return out.toString();
    }

    private String condition(JsonNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            errors.add(new Problem.FieldError(path, "nests deeper than " + MAX_DEPTH + " levels"));
            return "FALSE";
        }
        String key = node.fieldNames().next();
        JsonNode value = node.get(key);
        String at = path + "." + key;
        return switch (key) {
            case "all" -> join(value, at, " AND ", depth);
            case "any" -> join(value, at, " OR ", depth);
            case "not" -> "NOT coalesce(" + condition(value, at, depth + 1) + ", FALSE)";
            case "attribute" -> attribute(value, at);
            case "tag" -> "EXISTS (SELECT 1 FROM customer_tag t WHERE t.customer_id = s.customer_id AND t.tag_group = "
                    + text(value.get("group").asText()) + " AND t.tag = " + text(value.get("tag").asText()) + ")";
            case "score" -> score(value, at);
            case "tier" -> "trim(s.tier) IN (" + list(value) + ")";
            case "stage" -> "lower(replace(s.lifecycle_stage, '_', '-')) IN (" + list(value) + ")";
            case "valueLevel" -> "s.value_level IN (" + list(value) + ")";
            case "strategy" -> "s.strategy IN (" + list(value) + ")";
            case "cluster" -> "CAST(s.cluster AS text) IN (" + list(value) + ")";
            case "churnRisk" -> "s.churn_risk = " + bool(value.asBoolean());
            case "atRisk" -> "s.at_risk = " + bool(value.asBoolean());
            case "performed" -> performed(value, at);
            case "date" -> date(value, at);
            default -> throw new IllegalStateException("the schema admits no condition " + key);
        };
    }

    private String join(JsonNode items, String path, String operator, int depth) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parts.add("coalesce(" + condition(items.get(i), path + "[" + i + "]", depth + 1) + ", FALSE)");
        }
        return "(" + String.join(operator, parts) + ")";
    }

    private String attribute(JsonNode node, String path) {
        String column = ATTRIBUTES.get(node.get("name").asText());
        String op = node.get("op").asText();
        JsonNode value = node.get("value");
        return switch (op) {
            case "exists" -> column + " IS NOT NULL";
            case "notExists" -> column + " IS NULL";
            case "eq", "ne" -> requireText(value, path) ? column + COMPARISONS.get(op) + text(value.asText()) : "FALSE";
            default -> requireArray(value, path) ? (op.equals("in") ? "" : "NOT ") + "coalesce(" + column + " IN (" + list(value) + "), FALSE)"
                    : "FALSE";
        };
    }

    private String score(JsonNode node, String path) {
        String name = node.get("name").asText();
        if (name.startsWith("daysSince")) {
            timeRelative = true;
        }
        return numeric(SCORES.get(name), node.get("op").asText(), node.get("value"), path);
    }

    private String numeric(String expression, String op, JsonNode value, String path) {
        switch (op) {
            case "exists":
                return expression + " IS NOT NULL";
            case "notExists":
                return expression + " IS NULL";
            case "between":
                if (value == null || !value.isArray() || value.size() != 2 || !value.get(0).isNumber() || !value.get(1).isNumber()
                        || value.get(0).decimalValue().compareTo(value.get(1).decimalValue()) > 0) {
                    errors.add(new Problem.FieldError(path + ".value", "between needs [low, high] with low ≤ high"));
                    return "FALSE";
                }
                return expression + " BETWEEN " + number(value.get(0).decimalValue()) + " AND " + number(value.get(1).decimalValue());
            default:
                if (value == null || !value.isNumber()) {
                    errors.add(new Problem.FieldError(path + ".value", op + " needs a number"));
                    return "FALSE";
                }
                return expression + " " + COMPARISONS.get(op) + " " + number(value.decimalValue());
        }
    }

    private String performed(JsonNode node, String path) {
        EventTable events = EVENTS.get(node.get("event").asText());
        List<String> where = new ArrayList<>();
        where.add("f.customer_id = s.customer_id");
        JsonNode filters = node.path("where");
        for (int i = 0; i < filters.size(); i++) {
            where.add(filter(events, filters.get(i), path + ".where[" + i + "]"));
        }
        if (node.has("withinDays")) {
            timeRelative = true;
            where.add("f." + events.at() + " >= " + NOW + " - make_interval(days => " + integer(node.get("withinDays").asInt()) + ")");
        }
        if (node.has("between")) {
            OffsetDateTime from = timestamp(node.get("between").get("from"), path + ".between.from");
            OffsetDateTime to = timestamp(node.get("between").get("to"), path + ".between.to");
            if (from != null && to != null && from.isAfter(to)) {
                errors.add(new Problem.FieldError(path + ".between", "from must not be after to"));
            }
            where.add("f." + events.at() + " >= " + bind(from, "timestamptz") + " AND f." + events.at() + " < " + bind(to, "timestamptz"));
        }
        String op = node.path("count").path("op").asText("gte");
        int count = node.path("count").path("value").asInt(1);
        String counted = "(SELECT count(*) FROM " + events.table() + " f WHERE " + String.join(" AND ", where) + ")";
        // "at least N" and "never" read as EXISTS, which stops at the first fact
        if (op.equals("gte") && count == 1) {
            return "EXISTS (SELECT 1 FROM " + events.table() + " f WHERE " + String.join(" AND ", where) + ")";
        }
        if ((op.equals("eq") || op.equals("lte")) && count == 0) {
            return "NOT EXISTS (SELECT 1 FROM " + events.table() + " f WHERE " + String.join(" AND ", where) + ")";
        }
        return counted + " " + COMPARISONS.get(op) + " " + integer(count);
    }

    private String filter(EventTable events, JsonNode filter, String path) {
        String field = filter.get("field").asText();
        String op = filter.get("op").asText();
        JsonNode value = filter.get("value");
        if (field.startsWith("property.") && events.table().equals("interaction_fact")) {
            String column = "(f.properties ->> " + text(field.substring("property.".length())) + ")";
            return textFilter(column, op, value, path);
        }
        if (events.text().containsKey(field)) {
            return textFilter("f." + events.text().get(field), op, value, path);
        }
        if (events.arrays().containsKey(field)) {
            String column = "f." + events.arrays().get(field);
            return switch (op) {
                case "eq" -> requireText(value, path) ? text(value.asText()) + " = ANY(" + column + ")" : "FALSE";
                case "ne" -> requireText(value, path) ? "NOT (" + text(value.asText()) + " = ANY(" + column + "))" : "FALSE";
                case "in" -> requireArray(value, path) ? column + " && ARRAY(SELECT jsonb_array_elements_text(CAST(CAST("
                        + bind(NativeSql.json(value), "text") + " AS text) AS jsonb)))" : "FALSE";
                default -> invalid(path + ".op", op + " does not apply to " + field);
            };
        }
        if (events.numbers().containsKey(field)) {
            if (op.equals("in")) {
                return invalid(path + ".op", "in does not apply to " + field);
            }
            return numeric("f." + events.numbers().get(field), op, value, path);
        }
        return invalid(path + ".field", field + " is not a field of this event");
    }

    private String textFilter(String column, String op, JsonNode value, String path) {
        return switch (op) {
            case "eq", "ne" -> requireText(value, path) ? column + " " + COMPARISONS.get(op) + " " + text(value.asText()) : "FALSE";
            case "in" -> requireArray(value, path) ? column + " IN (" + list(value) + ")" : "FALSE";
            default -> invalid(path + ".op", op + " does not apply to text");
        };
    }

    private String date(JsonNode node, String path) {
        timeRelative = true;
        String field = node.get("field").asText();
        if (node.has("anniversaryWithinDays")) {
            String column = field.equals("birthday") ? "s.birthday" : DATES.get(field);
            String day = field.equals("birthday") ? "to_char(s.birthday, 'MMDD')" : "to_char(" + column + " AT TIME ZONE 'UTC', 'MMDD')";
            // the month and day fall on one of the next N days (a 29 February only in leap years)
            return day + " IN (SELECT to_char(CAST(" + NOW + " AT TIME ZONE 'UTC' AS date) + k, 'MMDD') FROM generate_series(0, "
                    + integer(node.get("anniversaryWithinDays").asInt()) + ") k)";
        }
        if (field.equals("birthday")) {
            return invalid(path + ".withinLastDays", "a birthday is matched by anniversaryWithinDays");
        }
        return DATES.get(field) + " >= " + NOW + " - make_interval(days => " + integer(node.get("withinLastDays").asInt()) + ")";
    }

    private boolean requireText(JsonNode value, String path) {
        if (value == null || !value.isTextual()) {
            errors.add(new Problem.FieldError(path + ".value", "must be a string"));
            return false;
        }
        return true;
    }

    private boolean requireArray(JsonNode value, String path) {
        if (value == null || !value.isArray() || value.isEmpty()) {
            errors.add(new Problem.FieldError(path + ".value", "must be a non-empty array"));
            return false;
        }
        return true;
    }

    private String invalid(String path, String message) {
        errors.add(new Problem.FieldError(path, message));
        return "FALSE";
    }

    private OffsetDateTime timestamp(JsonNode value, String path) {
        try {
            return OffsetDateTime.parse(value.asText());
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(path, "must be an ISO-8601 timestamp with offset"));
            return null;
        }
    }

    /** An array of strings as {@code value IN (...)} elements, bound as one JSON parameter. */
    private String list(JsonNode values) {
        List<String> items = new ArrayList<>();
        values.forEach(v -> items.add(v.asText()));
        return "SELECT jsonb_array_elements_text(CAST(CAST(" + bind(NativeSql.json(items), "text") + " AS text) AS jsonb))";
    }

    private String text(String value) {
        return bind(value, "text");
    }

    private String number(BigDecimal value) {
        return bind(value, "numeric");
    }

    private String integer(int value) {
        return bind(value, "integer");
    }

    private static String bool(boolean value) {
        return value ? "TRUE" : "FALSE";
    }

    private String bind(Object value, String type) {
        String name = "c" + params.size();
        params.put(name, value);
        return "CAST(:" + name + " AS " + type + ")";
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = SegmentCompiler.class.getClassLoader().getResourceAsStream("schemas/segment-definition.schema.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(MAPPER.readTree(in), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
