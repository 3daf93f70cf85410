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
        assertThat(EventSchemas.violations(EventType.MESSAGE_SENT.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"3f6b2c1e-8d4a-4e7b-9c05-1a2b3c4d5e6f",
                 "channel":"email","category":"marketing","templateId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                 "campaignId":"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f","sentAt":"2026-11-20T09:00:04Z"}""")).isEmpty();
        // campaignId is null for a message sent through the messages API
        assertThat(EventSchemas.violations(EventType.MESSAGE_FAILED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"7e1d4b2a-6c3f-4a8e-b5d9-2f0c1e3a4b5d",
                 "channel":"sms","category":"transactional","templateId":"2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901","campaignId":null,
                 "error":"21610 Message cannot be sent to the destination number","attempts":3,
                 "failedAt":"2026-11-20T10:17:30Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.MESSAGE_SUPPRESSED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
                 "channel":"push","category":"marketing","templateId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                 "campaignId":"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f","reason":"frequency-cap",
                 "suppressedAt":"2026-11-20T09:00:04Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.MESSAGE_OPENED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"3f6b2c1e-8d4a-4e7b-9c05-1a2b3c4d5e6f",
                 "channel":"email","templateId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                 "campaignId":"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f","openedAt":"2026-11-20T12:41:19Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.MESSAGE_CLICKED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"3f6b2c1e-8d4a-4e7b-9c05-1a2b3c4d5e6f",
                 "channel":"email","templateId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                 "campaignId":"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
                 "url":"https://shop.example.com/sale/running-shoes?utm_source=custops&utm_medium=email",
                 "clickedAt":"2026-11-20T12:41:52Z"}""")).isEmpty();
        // messageId is null when the unsubscribe is not tied to a message
        assertThat(EventSchemas.violations(EventType.UNSUBSCRIBED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":null,"channel":"email","purpose":"marketing",
                 "source":"unsubscribe-link","unsubscribedAt":"2026-11-20T12:43:05Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.CONVERTED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"3f6b2c1e-8d4a-4e7b-9c05-1a2b3c4d5e6f","channel":"email",
                 "templateId":"7a1d2e3f-4b5c-4d6e-8f90-a1b2c3d4e5f6","campaignId":null,"orderId":"POS-1",
                 "revenue":{"value":"129.90","currency":"EUR"},"touch":"click","convertedAt":"2026-11-20T14:43:05Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.COUPON_ISSUED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","poolId":"2c9d1e4f-7a6b-4c5d-8e9f-0a1b2c3d4e5f","code":"WB-7K2M9QXR",
                 "source":"api","expiresAt":null,"issuedAt":"2026-11-20T09:00:00Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.COUPON_REDEEMED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","poolId":"2c9d1e4f-7a6b-4c5d-8e9f-0a1b2c3d4e5f","code":"WB-7K2M9QXR",
                 "orderId":"POS-1","redeemedAt":"2026-11-20T09:00:00Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.ORDER_PLACED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","orderId":"O-1","placedAt":"2026-11-20T09:00:00Z",
                 "amount":{"value":"10.00","currency":"EUR"},"source":"pos","couponCodes":["WB-7K2M9QXR"]}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.VARIANT_ASSIGNED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","experimentId":"2c9d1e4f-7a6b-4c5d-8e9f-0a1b2c3d4e5f",
                 "experimentKind":"campaign","step":null,"variant":"control","assignedAt":"2026-11-20T09:00:00Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.MESSAGE_DELIVERED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"2c9d1e4f-7a6b-4c5d-8e9f-0a1b2c3d4e5f","channel":"sms",
                 "templateId":"7a1d2e3f-4b5c-4d6e-8f90-a1b2c3d4e5f6","campaignId":null,"deliveredAt":"2026-11-20T09:00:00Z"}""")).isEmpty();
        assertThat(EventSchemas.violations(EventType.EXPERIMENT_CONCLUDED.type(), """
                {"experimentId":"2c9d1e4f-7a6b-4c5d-8e9f-0a1b2c3d4e5f","experimentKind":"campaign","metric":"conversion","winner":"B",
                 "significant":true,"pValue":0.003,"concludedAt":"2026-11-20T09:00:00Z"}""")).isEmpty();
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
        // unknown channel and category, templateId missing
        assertThat(EventSchemas.violations(EventType.MESSAGE_SENT.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"3f6b2c1e-8d4a-4e7b-9c05-1a2b3c4d5e6f",
                 "channel":"fax","category":"promo","campaignId":null,"sentAt":"2026-11-20T09:00:04Z"}""")).hasSizeGreaterThanOrEqualTo(3);
        // error longer than 500 characters, no attempt made
        assertThat(EventSchemas.violations(EventType.MESSAGE_FAILED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"7e1d4b2a-6c3f-4a8e-b5d9-2f0c1e3a4b5d",
                 "channel":"sms","category":"transactional","templateId":"2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901",
                 "error":"%s","attempts":0,"failedAt":"2026-11-20T10:17:30Z"}""".formatted("x".repeat(501))))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(EventSchemas.violations(EventType.MESSAGE_SUPPRESSED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
                 "channel":"push","category":"marketing","templateId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                 "reason":"blocked","suppressedAt":"2026-11-20T09:00:04Z"}""")).isNotEmpty();
        // messageId not a UUID, openedAt missing
        assertThat(EventSchemas.violations(EventType.MESSAGE_OPENED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"not-a-uuid","channel":"email",
                 "templateId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}""")).hasSizeGreaterThanOrEqualTo(2);
        // url must be an absolute URI
        assertThat(EventSchemas.violations(EventType.MESSAGE_CLICKED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"3f6b2c1e-8d4a-4e7b-9c05-1a2b3c4d5e6f",
                 "channel":"email","templateId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d","url":"/sale/running-shoes",
                 "clickedAt":"2026-11-20T12:41:52Z"}""")).isNotEmpty();
        // only marketing consent is withdrawn this way; source must not be empty
        assertThat(EventSchemas.violations(EventType.UNSUBSCRIBED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","channel":"email","purpose":"service","source":"",
                 "unsubscribedAt":"2026-11-20T12:43:05Z"}""")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(EventSchemas.violations(EventType.CONVERTED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","messageId":"3f6b2c1e-8d4a-4e7b-9c05-1a2b3c4d5e6f","channel":"email",
                 "templateId":"7a1d2e3f-4b5c-4d6e-8f90-a1b2c3d4e5f6","orderId":"POS-1","revenue":{"value":"12,9","currency":"EUR"},
                 "touch":"view","convertedAt":"2026-11-20T14:43:05Z"}""")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(EventSchemas.violations(EventType.COUPON_ISSUED.type(), """
                {"customerId":"7b0f1a52-95a3-4c69-9d7c-0f4b3e0b9c11","poolId":"not-a-uuid","code":"","issuedAt":"2026-11-20T09:00:00Z"}"""))
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(EventSchemas.violations("io.custops.unknown.Thing.v1", "{}")).containsExactly("unknown event type io.custops.unknown.Thing.v1");
        assertThat(EventSchemas.violations(EventType.ORDER_PLACED.type(), "{oops")).singleElement().asString().startsWith("data is not JSON");
    }

    @Test
    void everyAsyncApiExampleConformsToItsSchema() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("asyncapi.yaml")) {
            doc = YAML.readTree(in);
        }
        int checked = 0;
        for (Map.Entry<String, JsonNode> message : doc.path("components").path("messages").properties()) {
            for (JsonNode example : message.getValue().path("examples")) {
                String type = message.getValue().path("name").asText();
                assertThat(EventSchemas.violations(type, example.path("payload").toString())).as(type + " example").isEmpty();
                checked++;
            }
        }
        assertThat(checked).isPositive();
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
