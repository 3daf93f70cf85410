package io.custops.platform.consumer;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvent read from Kafka in binary mode, with its data parsed as JSON. {@link #data(Class)} maps the
 * data to a payload record; data that does not map is a poison message.
 */
public record IncomingEvent(String id, String type, String source, UUID subject, OffsetDateTime time, JsonNode data,
        String topic, int partition, long offset, PayloadMapper mapper) {

    public <T> T data(Class<T> payloadType) {
        return mapper.map(this, payloadType);
    }

    /** Maps event data to a payload type, raising {@link PoisonEventException} when it cannot. */
    public interface PayloadMapper {
        <T> T map(IncomingEvent event, Class<T> payloadType);
    }
}
