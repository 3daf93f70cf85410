package io.custops.profile.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** JSON values in columns: arrays as text (Hibernate Reactive's JSON type maps only JSON objects). */
public final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonColumns() {
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value == null ? List.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> List<T> read(String json, TypeReference<List<T>> type) {
        try {
            return json == null ? new ArrayList<>() : new ArrayList<>(MAPPER.readValue(json, type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    /**
     * The map as it reads back from a JSON column (Integer/Long/Double/Boolean/String), so Hibernate's dirty check,
     * which compares with a JSON round-trip of the loaded value, does not see a change where there is none.
     */
    public static Map<String, Object> normalise(Map<String, Object> attributes) {
        try {
            return MAPPER.readValue(MAPPER.writeValueAsString(attributes), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Converter
    public static class Strings implements AttributeConverter<List<String>, String> {
        @Override
        public String convertToDatabaseColumn(List<String> value) {
            return value == null ? null : write(value);
        }

        @Override
        public List<String> convertToEntityAttribute(String json) {
            return json == null ? null : read(json, new TypeReference<>() { });
        }
    }

    @Converter
    public static class Addresses implements AttributeConverter<List<Address>, String> {
        @Override
        public String convertToDatabaseColumn(List<Address> value) {
            return write(value);
        }

        @Override
        public List<Address> convertToEntityAttribute(String json) {
            return read(json, new TypeReference<>() { });
        }
    }
}
