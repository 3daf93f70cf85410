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
        assertThat(EventSchemas.violations(EventType.SCORES_UPDATED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","recencyScore":5,"frequencyScore":4,"monetaryScore":4,
                 "valueScore":4.35,"tier":"A","valueLevel":"loyal","valueGrade":5,"activityGrade":4,"potentialGrade":3,
                 "strategy":"invest","healthIndex":78,"atRisk":false,"churnRisk":false,"lifecycleStage":"repurchase",
                 "modelVersion":12,"scoredAt":"2026-11-20T10:15:30Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.SCORES_UPDATED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","recencyScore":null,"frequencyScore":null,"monetaryScore":null,
                 "valueScore":null,"tier":null,"valueLevel":"prospect","valueGrade":1,"activityGrade":1,"potentialGrade":2,
                 "strategy":"cost-control","healthIndex":0,"atRisk":true,"churnRisk":false,"lifecycleStage":"acquisition",
                 "modelVersion":0,"scoredAt":"2026-11-20T10:15:30Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.TIER_CHANGED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","from":"B","to":"A","valueScore":4.35,
                 "changedAt":"2026-11-20T10:15:30Z","reason":"value score reached the tier A cut-off","modelVersion":12}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.TIER_CHANGED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","from":"D","to":null,"valueScore":null,
                 "changedAt":"2026-11-20T10:15:30Z","reason":"no orders left","modelVersion":12}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.CHURN_RISK_RAISED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","reasons":["purchase-gap","inactive"],"healthIndex":32,
                 "daysSinceLastOrder":96,"daysSinceLastTouch":null,"raisedAt":"2026-11-20T02:00:00Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.SEGMENT_ENTERED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","segmentId":"5d1c7e3a-2b4f-4c8e-9a61-3f0e2d7b8c45",
                 "segmentName":"Running shoe buyers, last 90 days","enteredAt":"2026-11-20T10:15:30Z","cause":"event"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.SEGMENT_EXITED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","segmentId":"5d1c7e3a-2b4f-4c8e-9a61-3f0e2d7b8c45",
                 "segmentName":"Running shoe buyers, last 90 days","exitedAt":"2026-11-21T02:00:00Z","cause":"sweep"}""")).isEmpty();
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
        // tier E, recency score 0, health index 101, grade 6, unknown strategy, negative model version, scoredAt missing
        assertThat(EventSchemas.violations(EventType.SCORES_UPDATED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","recencyScore":0,"tier":"E","valueLevel":"loyal",
                 "valueGrade":6,"activityGrade":4,"potentialGrade":3,"strategy":"ignore","healthIndex":101,"atRisk":false,
                 "churnRisk":false,"lifecycleStage":"repurchase","modelVersion":-1}"""))
                .hasSizeGreaterThanOrEqualTo(7);
        // "to" is required even though it may be null
        assertThat(EventSchemas.violations(EventType.TIER_CHANGED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","from":"B","changedAt":"2026-11-20T10:15:30Z",
                 "reason":"x","modelVersion":12}""")).isNotEmpty();
        assertThat(EventSchemas.violations(EventType.CHURN_RISK_RAISED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","reasons":[],"healthIndex":32,"raisedAt":"2026-11-20T02:00:00Z"}"""))
                .isNotEmpty();
        assertThat(EventSchemas.violations(EventType.CHURN_RISK_RAISED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","reasons":["inactive","inactive","bored"],"healthIndex":32,
                 "daysSinceLastOrder":-1,"raisedAt":"2026-11-20T02:00:00Z"}""")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(EventSchemas.violations(EventType.SEGMENT_ENTERED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","segmentId":"not-a-uuid","segmentName":"",
                 "enteredAt":"2026-11-20T10:15:30Z","cause":"manual"}""")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(EventSchemas.violations(EventType.SEGMENT_EXITED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","segmentId":"5d1c7e3a-2b4f-4c8e-9a61-3f0e2d7b8c45",
                 "segmentName":"Running shoe buyers","cause":"sweep"}""")).isNotEmpty();
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
