package io.custops.campaign.journeys;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evaluates the journey language's conditions on what campaign-service knows of a customer, and event filters on an
 * event's data. Both are interpreted over fixed fields and operators: data, never code.
 */
public final class Conditions {
    private Conditions() {
    }

    /** What a condition may look at: the customer's tier, scores, locale, region, orders, segments and engagement. */
    public record Facts(String tier, JsonNode scores, String locale, String region, int orderCount, Instant firstOrderAt,
            Instant lastOrderAt, Set<UUID> segments, Instant lastOpenAt, Instant lastClickAt) {
    }

    public static boolean test(JsonNode condition, Facts facts, Instant enteredAt) {
        if (condition.has("all")) {
            for (JsonNode c : condition.get("all")) {
                if (!test(c, facts, enteredAt)) {
                    return false;
                }
            }
            return true;
        }
        if (condition.has("any")) {
            for (JsonNode c : condition.get("any")) {
                if (test(c, facts, enteredAt)) {
                    return true;
                }
            }
            return false;
        }
        if (condition.has("not")) {
            return !test(condition.get("not"), facts, enteredAt);
        }
        if (condition.has("tier")) {
            for (JsonNode tier : condition.get("tier").get("in")) {
                if (tier.asText().equals(facts.tier())) {
                    return true;
                }
            }
            return false;
        }
        if (condition.has("segment")) {
            return facts.segments().contains(UUID.fromString(condition.get("segment").get("in").asText()));
        }
        if (condition.has("score")) {
            JsonNode score = condition.get("score");
            JsonNode value = facts.scores() == null ? null : facts.scores().get(score.get("name").asText());
            return value != null && value.isNumber() && compare(value.decimalValue(), score.get("op").asText(), score.get("value").decimalValue());
        }
        if (condition.has("attribute")) {
            JsonNode attribute = condition.get("attribute");
            String name = attribute.get("name").asText();
            String actual = switch (name) {
                case "locale" -> facts.locale();
                case "region" -> facts.region();
                default -> facts.scores() == null ? null : text(facts.scores().get(name));
            };
            return matchesText(actual, attribute.get("op").asText(), attribute.get("value"));
        }
        if (condition.has("orders")) {
            JsonNode orders = condition.get("orders");
            return compare(BigDecimal.valueOf(facts.orderCount()), orders.get("op").asText(), orders.get("value").decimalValue());
        }
        if (condition.has("performedSinceEntry")) {
            Instant at = switch (condition.get("performedSinceEntry").asText()) {
                case "OrderPlaced" -> facts.lastOrderAt();
                case "MessageOpened" -> facts.lastOpenAt();
                case "MessageClicked" -> facts.lastClickAt();
                default -> null;
            };
            return at != null && !at.isBefore(enteredAt);
        }
        throw new IllegalArgumentException("unknown condition " + condition);
    }

    /** Whether the event's data passes every filter ({@code field}, {@code op}, {@code value}). */
    public static boolean matches(JsonNode data, Iterable<JsonNode> filters) {
        for (JsonNode filter : filters) {
            JsonNode actual = data;
            for (String part : filter.get("field").asText().split("\\.")) {
                actual = actual == null ? null : actual.get(part);
            }
            if (!matchesValue(actual, filter.get("op").asText(), filter.get("value"))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesValue(JsonNode actual, String op, JsonNode expected) {
        if (actual == null || actual.isNull()) {
            return "ne".equals(op);
        }
        if ("contains".equals(op)) {
            if (actual.isArray()) {
                // an element equal to the value, or an object element (an order line) with a field equal to it
                for (JsonNode item : actual) {
                    if (item.isValueNode() ? item.asText().equals(expected.asText())
                            : containsValue(item, expected.asText())) {
                        return true;
                    }
                }
                return false;
            }
            return actual.asText().contains(expected.asText());
        }
        BigDecimal a = number(actual);
        BigDecimal e = number(expected);
        if (a != null && e != null && !"in".equals(op)) {
            return compare(a, op, e);
        }
        return matchesText(actual.asText(), op, expected);
    }

    private static boolean containsValue(JsonNode object, String value) {
        for (JsonNode field : object) {
            if (field.isValueNode() && field.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesText(String actual, String op, JsonNode expected) {
        if (actual == null) {
            return "ne".equals(op);
        }
        return switch (op) {
            case "eq" -> actual.equals(expected.asText());
            case "ne" -> !actual.equals(expected.asText());
            case "startsWith" -> actual.startsWith(expected.asText());
            case "in" -> {
                for (JsonNode option : expected) {
                    if (actual.equals(option.asText())) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> false;
        };
    }

    private static boolean compare(BigDecimal actual, String op, BigDecimal expected) {
        int c = actual.compareTo(expected);
        return switch (op) {
            case "eq" -> c == 0;
            case "ne" -> c != 0;
            case "gt" -> c > 0;
            case "gte" -> c >= 0;
            case "lt" -> c < 0;
            case "lte" -> c <= 0;
            default -> false;
        };
    }

    private static BigDecimal number(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.asText());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
