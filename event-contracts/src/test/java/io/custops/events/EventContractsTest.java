package io.custops.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

class EventContractsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyEventTypeHasAParsableSchemaNamedAfterIt() {
        for (EventType type : EventType.values()) {
            JsonNode schema = EventSchemas.schemaDocument(type);
            assertThat(schema.path("$schema").asText()).contains("2020-12");
            assertThat(schema.path("$id").asText()).endsWith(type.type() + ".json");
            assertThat(schema.path("required").isArray()).as(type.type()).isTrue();
        }
    }

    @Test
    void conformingDataPasses() {
        assertThat(EventSchemas.violations(EventType.ORDER_PLACED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","orderId":"A-1","placedAt":"2026-11-20T10:15:30Z",
                 "amount":{"value":"129.90","currency":"EUR"},"source":"pos","channel":null,"items":null}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.PROFILE_REGISTERED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","registeredAt":"2026-11-20T10:15:30.123Z",
                 "source":"crm","registrationChannel":null,"locale":"zh-CN","region":null,"futureField":1}""")).isEmpty();
    }

    @Test
    void nonConformingDataIsReported() {
        assertThat(EventSchemas.violations(EventType.ORDER_PLACED.type(), """
                {"customerId":"not-a-uuid","orderId":"A-1","placedAt":"yesterday",
                 "amount":{"value":"12,5","currency":"euro"},"source":"pos"}"""))
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(EventSchemas.violations(EventType.LIFECYCLE_STAGE_CHANGED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","to":"sleeping","changedAt":"2026-11-20T10:15:30Z","reason":"x"}"""))
                .isNotEmpty();
        assertThat(EventSchemas.violations("io.custops.unknown.Thing.v1", "{}")).containsExactly("unknown event type io.custops.unknown.Thing.v1");
        assertThat(EventSchemas.violations(EventType.ORDER_PLACED.type(), "{oops")).singleElement().asString().startsWith("data is not JSON");
    }

    @Test
    void asyncApiDescribesAllSixTopicsAndEveryEventType() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("asyncapi.yaml")) {
            doc = YAML.readTree(in);
        }
        assertThat(doc.path("asyncapi").asText()).startsWith("3.");
        List<String> addresses = new ArrayList<>();
        for (Map.Entry<String, JsonNode> channel : doc.path("channels").properties()) {
            addresses.add(channel.getValue().path("address").asText());
        }
        assertThat(addresses).containsAll(Topics.ALL);
        String text = doc.toString();
        for (EventType type : EventType.values()) {
            assertThat(text).as("AsyncAPI references the schema of " + type.type()).contains("schemas/" + type.type() + ".json");
        }
    }
}
