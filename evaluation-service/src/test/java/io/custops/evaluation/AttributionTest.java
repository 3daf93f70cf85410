package io.custops.evaluation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static io.custops.evaluation.TestEvents.DOUBLES;
import static io.custops.evaluation.TestEvents.send;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;


import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.events.payload.MessageClicked;
import io.custops.events.payload.MessageOpened;
import io.custops.events.payload.MessageSent;
import io.custops.events.payload.Money;
import io.custops.events.payload.OrderPlaced;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Attribution over paths built from real message and order events (June 2023, apart from the other tests' data). The
 * models' arithmetic is checked in AttributionModelsTest; here the paths: lookback, the previous order cutting a
 * path, engaged touches, direct conversions, non-converting paths, and keys by channel and by campaign.
 */
@QuarkusTest
class AttributionTest {
    private final UUID c1 = UUID.randomUUID(), c2 = UUID.randomUUID(), c3 = UUID.randomUUID(), c4 = UUID.randomUUID();
    private final UUID campaignA = UUID.randomUUID(), campaignB = UUID.randomUUID(), template = UUID.randomUUID();

    @Test
    void conversionsAreCreditedAlongTheirPaths() {
        // c1: e-mail opened, then SMS clicked, then an order of 100: a path email → sms
        touch(c1, "email", campaignA, "2023-06-01T09:00:00Z", "2023-06-02T09:00:00Z", false);
        touch(c1, "sms", campaignB, "2023-06-03T09:00:00Z", "2023-06-04T09:00:00Z", true);
        order(c1, "2023-06-05T09:00:00Z", "100.00");
        // c2: an e-mail opened and no order: a non-converting path
        touch(c2, "email", campaignA, "2023-06-01T09:00:00Z", "2023-06-02T09:00:00Z", false);
        // c3: an order with no touch: direct
        order(c3, "2023-06-10T09:00:00Z", "50.00");
        // c4: a push before its first order (40), an e-mail before its second (60): the first order ends the push's path
        touch(c4, "push", null, "2023-06-01T08:00:00Z", "2023-06-01T09:00:00Z", false);
        order(c4, "2023-06-02T09:00:00Z", "40.00");
        touch(c4, "email", campaignA, "2023-06-03T09:00:00Z", "2023-06-03T10:00:00Z", false);
        order(c4, "2023-06-06T09:00:00Z", "60.00");
        // a message sent but never opened is no engaged touch
        touch(c3, "sms", campaignB, "2023-06-08T09:00:00Z", null, false);
        await().atMost(Duration.ofSeconds(60)).until(() -> "4".equals(TestSql.value("SELECT count(*) FROM order_fact WHERE customer_id IN (?, ?, ?)", c1, c3, c4))
                && "5".equals(TestSql.value("SELECT count(*) FROM message_fact WHERE customer_id IN (?, ?, ?, ?) AND (opened_at IS NOT NULL OR clicked_at IS NOT NULL)",
                        c1, c2, c3, c4)));

        JsonPath byChannel = attribution("channel");
        assertThat(byChannel.getInt("paths")).isEqualTo(5);
        assertThat(byChannel.getInt("convertingPaths")).isEqualTo(4);
        assertThat(byChannel.getInt("directConversions")).isEqualTo(1);
        // last touch: sms (c1, 100), push (c4's first, 40), email (c4's second, 60)
        assertCredits(byChannel, "LAST_TOUCH", "email", 1, 60);
        assertCredits(byChannel, "LAST_TOUCH", "sms", 1, 100);
        assertCredits(byChannel, "LAST_TOUCH", "push", 1, 40);
        // first touch: email twice (c1 100, c4 60), push once
        assertCredits(byChannel, "FIRST_TOUCH", "email", 2, 160);
        // linear: email ½ of c1 + all of c4's second = 1.5 (50 + 60); sms ½ (50)
        assertCredits(byChannel, "LINEAR", "email", 1.5, 110);
        assertCredits(byChannel, "LINEAR", "sms", 0.5, 50);
        // Markov: START→email 3/4, →push 1/4; email→sms 1/3, →null 1/3, →conversion 1/3; sms, push → conversion. P(conv) = 3/4;
        // without email 1/4 (effect 2/3), without sms 1/2 (1/3), without push 1/2 (1/3): shares 1/2, 1/4, 1/4 of 3 conversions and 200
        assertCredits(byChannel, "MARKOV", "email", 1.5, 100);
        assertCredits(byChannel, "MARKOV", "sms", 0.75, 50);
        assertCredits(byChannel, "MARKOV", "push", 0.75, 50);
        JsonPath lastTouch = new JsonPath(byChannel.prettify()).using(DOUBLES).setRootPath("models.find { it.model == 'LAST_TOUCH' }");
        assertThat(lastTouch.getInt("topPaths.find { it.keys == ['email', 'sms'] }.paths")).isEqualTo(1);
        assertThat(lastTouch.getInt("topPaths.find { it.keys == ['email'] }.paths")).isEqualTo(2); // c2 (lapsed) and c4's second
        assertThat(lastTouch.getInt("topPaths.find { it.keys == ['email'] }.conversions")).isEqualTo(1);

        // by campaign: the push had none, so c4's first order is direct there
        JsonPath byCampaign = attribution("campaign");
        assertThat(byCampaign.getInt("directConversions")).isEqualTo(2);
        assertCredits(byCampaign, "LAST_TOUCH", campaignB.toString(), 1, 100);
        assertCredits(byCampaign, "LAST_TOUCH", campaignA.toString(), 1, 60);

        String analyst = TestTokens.bearer("analyst");
        given().auth().oauth2(analyst).queryParam("by", "colour").get("/api/attribution").then().statusCode(400);
        given().auth().oauth2(analyst).queryParam("halfLife", "a week").get("/api/attribution").then().statusCode(400);
        given().auth().oauth2(analyst).queryParam("from", "2020-01-01").queryParam("to", "2023-01-01").get("/api/attribution").then().statusCode(400);
        given().auth().oauth2(TestTokens.bearer("community-manager")).get("/api/attribution").then().statusCode(403);
    }

    private static JsonPath attribution(String by) {
        return given().auth().oauth2(TestTokens.bearer("analyst")).queryParam("from", "2023-06-01").queryParam("to", "2023-06-30")
                .queryParam("by", by).get("/api/attribution").then().statusCode(200).extract().jsonPath().using(DOUBLES);
    }

    private static void assertCredits(JsonPath report, String model, String key, double conversions, double value) {
        JsonPath credit = new JsonPath(report.prettify()).using(DOUBLES).setRootPath("models.find { it.model == '" + model + "' }.credits.find { it.key == '"
                + key + "' }");
        assertThat(credit.getDouble("conversions")).as(model + " " + key).isCloseTo(conversions, within(1e-9));
        assertThat(credit.getDouble("value")).as(model + " " + key).isCloseTo(value, within(1e-9));
    }

    private void touch(UUID customer, String channel, UUID campaign, String sent, String engaged, boolean click) {
        UUID message = UUID.randomUUID();
        send(Topics.CAMPAIGN, customer, EventType.MESSAGE_SENT, new MessageSent(customer, message, channel, "marketing", template, campaign, Instant.parse(sent)));
        if (engaged != null && click) {
            send(Topics.CAMPAIGN, customer, EventType.MESSAGE_CLICKED, new MessageClicked(customer, message, channel, template, campaign,
                    "https://shop.example/", Instant.parse(engaged)));
        } else if (engaged != null) {
            send(Topics.CAMPAIGN, customer, EventType.MESSAGE_OPENED, new MessageOpened(customer, message, channel, template, campaign, Instant.parse(engaged)));
        }
    }

    private static void order(UUID customer, String at, String total) {
        send(Topics.ACTIVITY, customer, EventType.ORDER_PLACED, new OrderPlaced(customer, UUID.randomUUID().toString(), Instant.parse(at),
                new Money(total, "EUR"), "web", null, "shop", null));
    }

}
