package io.custops.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Validates an event's {@code data} against the published JSON Schema of its type. */
public final class EventSchemas {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<EventType, JsonSchema> SCHEMAS = new EnumMap<>(EventType.class);

    private EventSchemas() {
    }

    /** @return the violations, empty when the data conforms. Unknown types are a violation. */
    public static List<String> violations(String ceType, String jsonData) {
        EventType type = EventType.fromType(ceType).orElse(null);
        if (type == null) {
            return List.of("unknown event type " + ceType);
        }
        try {
            return violations(type, MAPPER.readTree(jsonData));
        } catch (IOException e) {
            return List.of("data is not JSON: " + e.getMessage());
        }
    }

    /** @return the violations of data already parsed (a consumer parses each event once). */
    public static List<String> violations(EventType type, JsonNode data) {
        Set<ValidationMessage> messages = schema(type).validate(data);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** The schema itself, parsed, e.g. for documentation or further checks. */
    public static JsonNode schemaDocument(EventType type) {
        try (InputStream in = resource(type)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized JsonSchema schema(EventType type) {
        // formats (uuid, date-time) are assertions here, not just annotations: a bad timestamp is a violation
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return SCHEMAS.computeIfAbsent(type, t -> JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schemaDocument(t), config));
    }

    private static InputStream resource(EventType type) {
        InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(type.schemaResource());
        if (in == null) {
            throw new IllegalStateException("no schema on the classpath for " + type.type());
        }
        return in;
    }
}
