package io.custops.campaign;

import static io.custops.campaign.Fixtures.awaitStatus;
import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.custops.campaign.Fixtures.inbox;
import static io.custops.campaign.Fixtures.sent;
import static io.custops.campaign.Fixtures.template;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.quarkus.test.junit.QuarkusTest;

/** The public, HMAC-signed open, click and unsubscribe links. */
@QuarkusTest
class TrackingTest {
    private static final Pattern LINK = Pattern.compile("(?:href|src)=\"https?://[^/\"]+(/t/[^\"]+)\"");

    @Test
    void opensAndClicksAreRecordedOnceAndAnnouncedAndForgedLinksRecordNothing() throws Exception {
        UUID customer = customer(SafeguardTest.zoneWhereItIsNow(12));
        grant(customer, "email", "marketing");
        String template = template("email", "marketing", "Sale", "<a href=\"https://shop.example.com/sale?x=1&amp;y=2\">Go</a>");
        String message = sent(customer, template, "track-1");
        awaitStatus(message, "sent");
        String body = (String) inbox("c-" + customer + "@example.com").get(0).getContent();
        List<String> links = links(body);
        String click = links.stream().filter(l -> l.startsWith("/t/c/")).findFirst().orElseThrow().replace("&amp;", "&");
        String open = links.stream().filter(l -> l.startsWith("/t/o/")).findFirst().orElseThrow();

        // forged: another message id, a changed signature, another target
        given().redirects().follow(false).get(open.replace(message, UUID.randomUUID().toString())).then().statusCode(404)
                .contentType("application/problem+json");
        given().redirects().follow(false).get(open.substring(0, open.length() - 2) + "xx").then().statusCode(404);
        String elsewhere = click.substring(0, click.indexOf("?u=")) + "?u=https%3A%2F%2Fevil.example.com%2F";
        given().urlEncodingEnabled(false).redirects().follow(false).get(elsewhere).then().statusCode(404);
        assertThat(Fixtures.message(message).path("openedAt").isNull()).isTrue();

        given().get(open).then().statusCode(200).contentType("image/gif");
        given().get(open).then().statusCode(200);
        String target = given().urlEncodingEnabled(false).redirects().follow(false).get(click).then().statusCode(302).extract().header("Location");
        assertThat(target).isEqualTo("https://shop.example.com/sale?x=1&y=2");
        assertThat(URLDecoder.decode(URI.create(click).getRawQuery().substring(2), StandardCharsets.UTF_8)).isEqualTo(target);
        assertThat(Fixtures.message(message).path("openedAt").isNull()).isFalse();
        assertThat(Fixtures.message(message).path("clickedAt").isNull()).isFalse();

        ConsumerRecord<String, String> opened = Fixtures.exactlyOne(EventType.MESSAGE_OPENED, customer);
        assertThat(EventSchemas.violations(EventType.MESSAGE_OPENED.type(), opened.value())).isEmpty();
        List<ConsumerRecord<String, String>> clicked = Fixtures.events(EventType.MESSAGE_CLICKED, customer, 1);
        assertThat(EventSchemas.violations(EventType.MESSAGE_CLICKED.type(), clicked.get(0).value())).isEmpty();
        assertThat(clicked.get(0).value()).contains("https://shop.example.com/sale?x=1&y=2");
    }

    @Test
    void theUnsubscribeLinkWithdrawsMarketingConsentAtOnceAndCannotBeForged() throws Exception {
        UUID customer = customer(SafeguardTest.zoneWhereItIsNow(12));
        grant(customer, "email", "marketing");
        String template = template("email", "marketing", "News", "<p>News</p><a href=\"{links.unsubscribe}\">Unsubscribe</a>");
        String message = sent(customer, template, "unsub-1");
        awaitStatus(message, "sent");
        String body = (String) inbox("c-" + customer + "@example.com").get(0).getContent();
        String unsubscribe = links(body).stream().filter(l -> l.startsWith("/t/u/")).findFirst().orElseThrow();
        assertThat(links(body)).noneMatch(l -> l.startsWith("/t/c/")); // the unsubscribe link is not wrapped as a click

        // a link checker's GET only shows the confirmation; a forged link does nothing
        given().get(unsubscribe).then().statusCode(200).body(containsString("<form method=\"post\">"));
        given().post(unsubscribe.replace(message, UUID.randomUUID().toString())).then().statusCode(404);
        given().post(unsubscribe.substring(0, unsubscribe.length() - 3) + "abc").then().statusCode(404);
        assertThat(Fixtures.sql("SELECT status FROM consent WHERE customer_id = ? AND channel = 'email' AND purpose = 'marketing'",
                customer)).isEqualTo("granted");

        given().post(unsubscribe).then().statusCode(200).body(containsString("no longer receive"));
        given().post(unsubscribe).then().statusCode(200);
        assertThat(Fixtures.sql("SELECT status || ' ' || source FROM consent WHERE customer_id = ? AND channel = 'email'"
                + " AND purpose = 'marketing'", customer)).isEqualTo("withdrawn unsubscribe-link");
        ConsumerRecord<String, String> unsubscribed = Fixtures.exactlyOne(EventType.UNSUBSCRIBED, customer);
        assertThat(EventSchemas.violations(EventType.UNSUBSCRIBED.type(), unsubscribed.value())).isEmpty();

        String next = sent(customer, template, "unsub-2");
        assertThat(awaitStatus(next, "suppressed").path("reason").asText()).isEqualTo("no-consent");
        given().auth().oauth2(io.custops.local.testing.TestTokens.bearer("analyst")).get("/api/campaigns/messages/" + message)
                .then().body("unsubscribedAt", org.hamcrest.Matchers.notNullValue()).body("status", equalTo("sent"));
    }

    private static List<String> links(String html) {
        Matcher matcher = LINK.matcher(html);
        List<String> links = new java.util.ArrayList<>();
        while (matcher.find()) {
            links.add(matcher.group(1));
        }
        return links;
    }
}
