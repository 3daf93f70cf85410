package io.custops.profile.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** The value types a custom attribute may declare; each checks and normalises a JSON value. */
public enum AttributeType {
    STRING, NUMBER, INTEGER, BOOLEAN, DATE, DATETIME, ENUM;

    public static final int MAX_STRING = 1000;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttributeType fromWire(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * The value to store, or {@link IllegalArgumentException} with a caller-facing reason. Strings are stored as
     * given: they are data, never evaluated.
     */
    public Object coerce(JsonNode value, List<String> enumValues) {
        switch (this) {
            case STRING -> {
                if (!value.isTextual() || value.asText().length() > MAX_STRING) {
                    throw new IllegalArgumentException("must be a string of at most " + MAX_STRING + " characters");
                }
                return value.asText();
            }
            case NUMBER -> {
                if (!value.isNumber()) {
                    throw new IllegalArgumentException("must be a number");
                }
                return new BigDecimal(value.asText());
            }
            case INTEGER -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new IllegalArgumentException("must be an integer");
                }
                return value.asLong();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException("must be true or false");
                }
                return value.asBoolean();
            }
            case DATE -> {
                try {
                    return LocalDate.parse(requireText(value)).toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be a date such as 2026-11-23");
                }
            }
            case DATETIME -> {
                try {
                    return OffsetDateTime.parse(requireText(value)).toInstant().toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be an ISO-8601 date-time with offset, such as 2026-11-23T10:00:00Z");
                }
            }
            case ENUM -> {
                String text = requireText(value);
                if (enumValues == null || !enumValues.contains(text)) {
                    throw new IllegalArgumentException("must be one of " + enumValues);
                }
                return text;
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private static String requireText(JsonNode value) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("must be a string");
        }
        return value.asText();
    }
}
