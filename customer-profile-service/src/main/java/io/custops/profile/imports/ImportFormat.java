package io.custops.profile.imports;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one line of an import file into the JSON object the ingestion code takes. JSON Lines are taken as they
 * are; a CSV line is mapped by its header: identifier columns (email, phone, crm_id, ...) become identifiers,
 * {@code attr.<name>} columns custom attributes, the others profile fields. Quoted CSV fields may hold commas and
 * doubled quotes, not line breaks.
 */
final class ImportFormat {
    static final List<String> IDENTIFIER_COLUMNS = List.of("email", "phone", "crm_id", "erp_id", "wechat_unionid",
            "wechat_openid", "device_id", "member_card");

    private ImportFormat() {
    }

    static ObjectNode csvRow(List<String> header, String line) {
        List<String> values = split(line);
        if (values.size() != header.size()) {
            throw new IllegalArgumentException("has " + values.size() + " fields, the header has " + header.size());
        }
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
