package io.custops.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Templates are validated data in a closed language, localised, previewed, versioned and role-checked. */
@QuarkusTest
class TemplateTest {
    private final String marketer = TestTokens.bearer("marketer");

    @Test
    void aTemplateRendersTheCustomersLocaleWithEscapedValuesAndFallsBackToItsLanguageThenTheDefault() {
        String id = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"birthday-%s","channel":"email","category":"marketing","defaultLocale":"en","contents":{
                  "en":{"subject":"Happy birthday {customer.firstName}","body":"<p>Dear {customer.firstName}, take {data.coupon ?: 'a gift'}</p>"},
                  "zh":{"subject":"生日快乐 {customer.firstName}","body":"<p>{customer.firstName}，送您 {data.coupon ?: '礼物'}</p>"}}}
                """.formatted(UUID.randomUUID())).post("/api/templates").then().statusCode(201)
                .header("Location", containsString("/api/templates/")).body("version", equalTo(1)).extract().path("id");

        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"locale\":\"zh-CN\",\"customer\":{\"firstName\":\"Lin\"},\"data\":{\"coupon\":\"BDAY-88\"}}")
                .post("/api/templates/" + id + "/preview").then().statusCode(200)
                .body("locale", equalTo("zh")).body("subject", equalTo("生日快乐 Lin")).body("body", equalTo("<p>Lin，送您 BDAY-88</p>"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"locale\":\"fr-FR\",\"customer\":{\"firstName\":\"<script>x</script>\"}}")
                .post("/api/templates/" + id + "/preview").then().statusCode(200)
                .body("locale", equalTo("en")).body("body", equalTo("<p>Dear &lt;script&gt;x&lt;/script&gt;, take a gift</p>"));
    }

    @Test
    void templatesAreDataNeverCodeAndBadTemplatesAreRefusedFieldByField() {
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"bad","channel":"fax","category":"spam","defaultLocale":"english","contents":{}}""")
                .post("/api/templates").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("channel", "category", "defaultLocale", "contents"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"code-%s","channel":"email","category":"marketing","defaultLocale":"en","contents":{
                  "en":{"subject":"{inject:someBean.secret}","body":"<p>{config:quarkus.datasource.password} {#if}</p>"}}}"""
                .formatted(UUID.randomUUID()))
                .post("/api/templates").then().statusCode(400)
                .body("errors.field", hasItems("contents.en.body", "contents.en.subject"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"roots-%s","channel":"sms","category":"marketing","defaultLocale":"en","contents":{
                  "en":{"body":"{java.lang.System.getenv()} {customer.firstName}"}}}""".formatted(UUID.randomUUID()))
                .post("/api/templates").then().statusCode(400)
                .body("errors[0].message", containsString("unknown value {java.lang.System.getenv()}"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"no-subject-%s","channel":"email","category":"marketing","defaultLocale":"en","contents":{"en":{"body":"x"}}}"""
                .formatted(UUID.randomUUID()))
                .post("/api/templates").then().statusCode(400).body("errors.field", hasItem("contents.en.subject"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"name\":").post("/api/templates").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void changesNeedTheCurrentVersionAndRolesAreChecked() {
        String name = "versioned-" + UUID.randomUUID();
        String body = """
                {"name":"%s","channel":"sms","category":"transactional","defaultLocale":"en","contents":{"en":{"body":"%s"}}%s}""";
        String id = given().auth().oauth2(marketer).contentType(ContentType.JSON).body(body.formatted(name, "v1", ""))
                .post("/api/templates").then().statusCode(201).extract().path("id");
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body(body.formatted(name, "dup", ""))
                .post("/api/templates").then().statusCode(409);
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body(body.formatted(name, "v2", ",\"version\":1"))
                .put("/api/templates/" + id).then().statusCode(200).body("version", equalTo(2))
                .body("contents.en.body", equalTo("v2"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body(body.formatted(name, "stale", ",\"version\":1"))
                .put("/api/templates/" + id).then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body(body.formatted(name, "v3", ",\"version\":2").replace("\"sms\"", "\"wechat\""))
                .put("/api/templates/" + id).then().statusCode(400).body("errors.field", hasItem("channel"));

        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/templates/" + id).then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("analyst")).contentType(ContentType.JSON).body(body.formatted("x", "y", ""))
                .post("/api/templates").then().statusCode(403);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/templates").then().statusCode(403);
        given().get("/api/templates").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"customerId\":\"" + UUID.randomUUID() + "\",\"templateId\":\"" + UUID.randomUUID() + "\"}")
                .post("/api/campaigns/messages").then().statusCode(400).body("errors[0].field", equalTo("templateId"));

        given().auth().oauth2(marketer).delete("/api/templates/" + id).then().statusCode(200).body("archived", equalTo(true));
        given().auth().oauth2(marketer).get("/api/templates?channel=sms").then().statusCode(200).body("id", not(hasItem(id)));
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"customerId\":\"" + UUID.randomUUID() + "\",\"templateId\":\"" + id + "\"}")
                .post("/api/campaigns/messages").then().statusCode(400).body("detail", containsString("archived"));
    }
}
