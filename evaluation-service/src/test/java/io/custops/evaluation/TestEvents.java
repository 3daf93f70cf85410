package io.custops.evaluation;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.custops.events.EventType;
import io.custops.local.testing.KafkaTestClient;
import io.restassured.path.json.config.JsonPathConfig;

/** Publishes payload records as CloudEvents the way the producing services do (absent optional fields left out). */
final class TestEvents {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    /** Numbers from response bodies as doubles (RestAssured reads floats by default, too coarse for known answers). */
    static final JsonPathConfig DOUBLES = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);

    private TestEvents() {
    }

    static void send(String topic, UUID customer, EventType type, Object payload) {
        try {
            KafkaTestClient.sendAll(topic, List.of(new KafkaTestClient.Outgoing(customer.toString(), JSON.writeValueAsString(payload),
                    KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), type.type(), customer))));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
