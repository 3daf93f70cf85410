package io.custops.profile.imports;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one line of an import file into the JSON object the ingestion code takes. JSON Lines are taken as they
 * are; a CSV line is mapped by its header: identifier columns (email, phone, crm_id, ...) become identifiers; for
 * profiles, {@code attr.<name>} columns become custom attributes and the others profile fields; for events,
 * {@code data.<path>} columns become the event's data (dotted paths nest: {@code data.total.value}; a cell holding
 * a JSON array or object, such as {@code data.lines}, is taken as JSON) and the others event fields (eventId, type,
 * occurredAt, source, channel, customerId). Quoted CSV fields may hold commas and doubled quotes, not line breaks.
 */
final class ImportFormat {
    static final List<String> IDENTIFIER_COLUMNS = List.of("email", "phone", "crm_id", "erp_id", "wechat_unionid",
            "wechat_openid", "device_id", "member_card");

    private ImportFormat() {
    }

    static ObjectNode csvRow(List<String> header, String line) {
        List<String> values = fields(header, line);
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        ArrayNode identifiers = row.putArray("identifiers");
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i).trim();
            String value = values.get(i);
            if (value.isEmpty()) {
                continue;
            }
            if (IDENTIFIER_COLUMNS.contains(column)) {
                identifiers.addObject().put("type", column).put("value", value);
            } else if (column.startsWith("attr.")) {
                // CSV has no types: numbers and booleans are read as such, the attribute schema checks the rest
                String name = column.substring(5);
                if (value.matches("^-?[0-9]+$")) {
                    attributes.put(name, Long.parseLong(value));
                } else if (value.matches("^-?[0-9]*\\.[0-9]+$")) {
                    attributes.put(name, new java.math.BigDecimal(value));
                } else if (value.equals("true") || value.equals("false")) {
                    attributes.put(name, Boolean.parseBoolean(value));
                } else {
                    attributes.put(name, value);
                }
            } else {
                row.put(column, value);
            }
        }
        if (!attributes.isEmpty()) {
            row.set("attributes", attributes);
        }
        return row;
    }

    static ObjectNode csvEventRow(List<String> header, String line) {
        List<String> values = fields(header, line);
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        ObjectNode data = row.putObject("data");
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i).trim();
            String value = values.get(i);
            if (value.isEmpty()) {
                continue;
            }
            if (IDENTIFIER_COLUMNS.contains(column)) {
                (row.has("identifiers") ? (ArrayNode) row.get("identifiers") : row.putArray("identifiers"))
                        .addObject().put("type", column).put("value", value);
            } else if (column.startsWith("data.") && column.length() > 5) {
                String[] path = column.substring(5).split("\\.");
                ObjectNode parent = data;
                for (int p = 0; p < path.length - 1; p++) {
                    parent = parent.has(path[p]) && parent.get(path[p]).isObject() ? (ObjectNode) parent.get(path[p])
                            : parent.putObject(path[p]);
                }
                // values stay text (the event's typed fields read "12" as a number), except embedded JSON
                String trimmed = value.trim();
                if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
                    try {
                        parent.set(path[path.length - 1], JSON.readTree(trimmed));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalArgumentException("column " + column + " is not valid JSON: " + e.getOriginalMessage());
                    }
                } else {
                    parent.put(path[path.length - 1], value);
                }
            } else {
                row.put(column, value);
            }
        }
        return row;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The line's fields, as many as the header names. */
    private static List<String> fields(List<String> header, String line) {
        List<String> values = split(line);
        if (values.size() != header.size()) {
            throw new IllegalArgumentException("has " + values.size() + " fields, the header has " + header.size());
        }
        return values;
    }

    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("has an unterminated quoted field");
        }
        fields.add(field.toString());
        return fields;
    }
}
