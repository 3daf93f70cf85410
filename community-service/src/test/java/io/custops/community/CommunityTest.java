package io.custops.community;

import static io.custops.community.Fixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Communities: membership, invitations, leaders from high-value customers, topics, posts, comments, likes, moderation. */
@QuarkusTest
class CommunityTest {

    @BeforeEach
    void postingEarns() {
        if (TestSql.value("SELECT id FROM earn_rule WHERE name = 'Posting'") == null) {
            given().auth().oauth2(MANAGER).contentType(ContentType.JSON)
                    .body("{\"name\":\"Posting\",\"kind\":\"engagement\",\"interaction\":\"community_post\",\"points\":5}")
                    .post("/api/loyalty/earn-rules").then().statusCode(201);
        }
    }

    @Test
    void membersJoinOpenCommunitiesAndInviteOnlyOnesByInvitation() {
        String open = community("lifestyle", "open");
        String salon = community("industry-knowledge", "invite-only");
        UUID ada = UUID.randomUUID();
        UUID bo = UUID.randomUUID();

        as(ada).post("/api/communities/" + open + "/join").then().statusCode(200).body("status", equalTo("active"));
        ConsumerRecord<String, String> joined = Fixtures.events(EventType.MEMBER_JOINED, ada, 1).get(0);
        assertThat(EventSchemas.violations(EventType.MEMBER_JOINED.type(), joined.value())).isEmpty();
        assertThat(joined.value()).contains("\"via\":\"self\"").contains("\"communityKind\":\"lifestyle\"");

        as(bo).post("/api/communities/" + salon + "/join").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"customerId\":\"" + bo + "\"}")
                .post("/api/communities/" + salon + "/invitations").then().statusCode(200).body("status", equalTo("invited"));
        as(bo).get("/api/communities/me").then().statusCode(200).body("status", hasItem("invited"));
        as(bo).post("/api/communities/" + salon + "/join").then().statusCode(200).body("status", equalTo("active"));
        assertThat(Fixtures.events(EventType.MEMBER_JOINED, bo, 1).get(0).value()).contains("\"via\":\"invitation\"");
        as(bo).get("/api/communities/" + salon + "/posts").then().statusCode(200);
        as(ada).get("/api/communities/" + salon + "/posts").then().statusCode(404); // invite-only: members only
        as(ada).get("/api/communities/" + open + "/posts").then().statusCode(200);

        as(ada).post("/api/communities/" + open + "/leave").then().statusCode(200).body("status", equalTo("left"));
        as(ada).post("/api/communities/" + open + "/join").then().statusCode(200);
        given().auth().oauth2(MANAGER).delete("/api/communities/" + open + "/members/" + ada + "?reason=spam").then().statusCode(200)
                .body("status", equalTo("removed"));
        as(ada).post("/api/communities/" + open + "/join").then().statusCode(403); // back only by a new invitation
        given().auth().oauth2(MANAGER).get("/api/communities/" + salon + "/members?status=active").then().statusCode(200)
                .body("members.customerId", hasItem(bo.toString()));

        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"name\":\"\",\"kind\":\"sports\",\"visibility\":\"secret\"}")
                .post("/api/communities").then().statusCode(400).body("errors.field", hasItems("name", "kind", "visibility"));
        as(ada).contentType(ContentType.JSON).body("{\"name\":\"Mine\",\"kind\":\"lifestyle\"}").post("/api/communities").then().statusCode(403);
        given().auth().oauth2(MANAGER).get("/api/communities/" + open + "/members").then().statusCode(200);
        as(bo).get("/api/communities/" + salon + "/members").then().statusCode(403);
    }

    @Test
    void activeMembersPostCommentAndLikeAndPostingEarnsPoints() {
        String community = community("product-interest", "open");
        UUID ada = member(community);
        UUID bo = member(community);
        UUID outsider = UUID.randomUUID();

        String post = as(ada).contentType(ContentType.JSON).body("{\"body\":\"My new trail shoes after 100 km\"}")
                .post("/api/communities/" + community + "/posts").then().statusCode(201).body("authorId", equalTo(ada.toString()))
                .extract().path("id");
        ConsumerRecord<String, String> published = Fixtures.events(EventType.POST_PUBLISHED, ada, 1).get(0);
        assertThat(EventSchemas.violations(EventType.POST_PUBLISHED.type(), published.value())).isEmpty();
        assertThat(published.value()).doesNotContain("trail shoes"); // the text stays here
        assertThat(Fixtures.balance(ada).getLong("available")).isEqualTo(5);

        as(outsider).contentType(ContentType.JSON).body("{\"body\":\"hi\"}").post("/api/communities/" + community + "/posts").then()
                .statusCode(403);
        as(outsider).contentType(ContentType.JSON).body("{\"body\":\"hi\"}").post("/api/communities/posts/" + post + "/comments").then()
                .statusCode(403);
        as(ada).contentType(ContentType.JSON).body("{\"body\":\"\"}").post("/api/communities/" + community + "/posts").then().statusCode(400);

        as(bo).contentType(ContentType.JSON).body("{\"body\":\"Which model?\"}").post("/api/communities/posts/" + post + "/comments").then()
                .statusCode(201);
        as(bo).put("/api/communities/posts/" + post + "/like").then().statusCode(200).body("likes", equalTo(1)).body("likedByMe", equalTo(true));
        as(bo).put("/api/communities/posts/" + post + "/like").then().statusCode(200).body("likes", equalTo(1));
        as(ada).get("/api/communities/posts/" + post).then().statusCode(200).body("comments", equalTo(1)).body("likedByMe", equalTo(false));
        as(bo).delete("/api/communities/posts/" + post + "/like").then().statusCode(200).body("likes", equalTo(0));
        as(outsider).get("/api/communities/posts/" + post + "/comments").then().statusCode(200).body("body", hasItem("Which model?"));
        as(ada).get("/api/communities/me/posts").then().statusCode(200).body("id", hasItem(post));

        // a weekly topic: open for posts in its week only; members see it once published
        String current = topic(community, Instant.now().minus(Duration.ofMinutes(1)));
        String next = topic(community, Instant.now().plus(Duration.ofDays(7)));
        as(ada).contentType(ContentType.JSON).body("{\"body\":\"On topic\",\"topicId\":\"" + current + "\"}")
                .post("/api/communities/" + community + "/posts").then().statusCode(201).body("topicId", equalTo(current));
        as(ada).contentType(ContentType.JSON).body("{\"body\":\"Too early\",\"topicId\":\"" + next + "\"}")
                .post("/api/communities/" + community + "/posts").then().statusCode(409);
        as(ada).get("/api/communities/" + community + "/topics").then().statusCode(200).body("id", hasItem(current)).body("id", not(hasItem(next)))
                .body("find { it.id == '" + current + "' }.posts", equalTo(1));
        given().auth().oauth2(MANAGER).get("/api/communities/" + community + "/topics").then().body("id", hasItems(current, next));

        // keyset pages
        as(ada).get("/api/communities/" + community + "/posts?limit=1").then().statusCode(200).body("posts.size()", equalTo(1))
                .body("nextBefore", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void reportedContentIsHiddenLeadersComeFromHighValueMembersAndBansStopEverything() {
        String community = community("lifestyle", "open");
        UUID author = member(community);
        UUID leader = member(community);
        List<UUID> reporters = List.of(member(community), member(community), member(community));
        String post = as(author).contentType(ContentType.JSON).body("{\"body\":\"Buy cheap followers here\"}")
                .post("/api/communities/" + community + "/posts").then().statusCode(201).extract().path("id");

        for (UUID reporter : reporters) {
            as(reporter).contentType(ContentType.JSON).body("{\"targetType\":\"post\",\"targetId\":\"" + post + "\",\"reason\":\"spam\"}")
                    .post("/api/communities/reports").then().statusCode(201);
        }
        as(reporters.get(0)).contentType(ContentType.JSON).body("{\"targetType\":\"post\",\"targetId\":\"" + post + "\",\"reason\":\"spam\"}")
                .post("/api/communities/reports").then().statusCode(201).body("reportsOnTarget", equalTo(3)); // once per member
        as(reporters.get(0)).get("/api/communities/posts/" + post).then().statusCode(404); // hidden
        as(author).get("/api/communities/posts/" + post).then().statusCode(200).body("status", equalTo("hidden")); // the author still sees it
        given().auth().oauth2(MANAGER).get("/api/communities/" + community + "/reports").then().statusCode(200)
                .body("[0].reportsOnTarget", equalTo(3));
        as(reporters.get(1)).get("/api/communities/" + community + "/reports").then().statusCode(403);
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"outcome\":\"dismissed\"}")
                .post("/api/communities/reports/post/" + post + "/resolution").then().statusCode(204);
        as(reporters.get(0)).get("/api/communities/posts/" + post).then().statusCode(200).body("status", equalTo("visible"));

        // leaders: only from the leader tiers
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"customerId\":\"" + leader + "\",\"grade\":2}")
                .post("/api/communities/" + community + "/leaders").then().statusCode(409);
        Fixtures.tier(leader, "A");
        Fixtures.tier(reporters.get(2), "C");
        given().auth().oauth2(MANAGER).get("/api/communities/" + community + "/leader-candidates").then().statusCode(200)
                .body("customerId", hasItem(leader.toString())).body("customerId", not(hasItem(reporters.get(2).toString())));
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"customerId\":\"" + leader + "\",\"grade\":4}")
                .post("/api/communities/" + community + "/leaders").then().statusCode(400);
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"customerId\":\"" + leader + "\",\"grade\":2}")
                .post("/api/communities/" + community + "/leaders").then().statusCode(200).body("role", equalTo("leader"))
                .body("leaderGrade", equalTo(2)).body("tier", equalTo("A")).body("leaderReview", equalTo(false));
        // a leader moderates their community; another member cannot
        as(reporters.get(1)).contentType(ContentType.JSON).body("{}").post("/api/communities/posts/" + post + "/hide").then().statusCode(403);
        as(leader).contentType(ContentType.JSON).body("{\"reason\":\"spam\"}").post("/api/communities/posts/" + post + "/hide").then()
                .statusCode(204);
        as(reporters.get(1)).get("/api/communities/posts/" + post).then().statusCode(404);
        as(leader).get("/api/communities/" + community + "/posts").then().statusCode(200).body("posts.id", hasItem(post));

        // a leader whose value tier drops out of the leader tiers is flagged for the managers' review
        Fixtures.tier(leader, "C");
        given().auth().oauth2(MANAGER).get("/api/communities/" + community + "/members?status=active").then().statusCode(200)
                .body("members.find { it.customerId == '" + leader + "' }.leaderReview", equalTo(true))
                .body("members.find { it.customerId == '" + leader + "' }.role", equalTo("leader"));

        // a ban stops posting, commenting, liking, reading and joining
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"customerId\":\"" + author + "\",\"reason\":\"spam\"}")
                .post("/api/communities/" + community + "/bans").then().statusCode(200).body("status", equalTo("banned"));
        as(author).contentType(ContentType.JSON).body("{\"body\":\"again\"}").post("/api/communities/" + community + "/posts").then()
                .statusCode(403);
        as(author).get("/api/communities/" + community + "/posts").then().statusCode(404);
        as(author).post("/api/communities/" + community + "/join").then().statusCode(403);
    }

    @Test
    void anErasedMembersPostsAreEmptiedAndTheirMembershipsAndLikesGo() {
        String community = community("lifestyle", "open");
        UUID gone = member(community);
        UUID other = member(community);
        String post = as(gone).contentType(ContentType.JSON).body("{\"body\":\"I am Ada from Berlin\"}")
                .post("/api/communities/" + community + "/posts").then().statusCode(201).extract().path("id");
        String otherPost = as(other).contentType(ContentType.JSON).body("{\"body\":\"Welcome!\"}")
                .post("/api/communities/" + community + "/posts").then().statusCode(201).extract().path("id");
        as(gone).put("/api/communities/posts/" + otherPost + "/like").then().statusCode(200).body("likes", equalTo(1));
        Fixtures.erased(gone);
        await().atMost(Fixtures.WAIT).until(() -> "erased".equals(TestSql.value("SELECT status FROM post WHERE id = ?", UUID.fromString(post))));
        assertThat(TestSql.value("SELECT body || '|' || CAST(author_id = ? AS text) FROM post WHERE id = ?", gone, UUID.fromString(post)))
                .isEqualTo("|false");
        as(other).get("/api/communities/posts/" + post).then().statusCode(404);
        as(other).get("/api/communities/posts/" + otherPost).then().statusCode(200).body("likes", equalTo(0));
        assertThat(TestSql.value("SELECT count(*) FROM community_member WHERE customer_id = ?", gone)).isEqualTo("0");
    }

    private static RequestSpecification as(UUID member) {
        return given().auth().oauth2(TestTokens.member(member));
    }

    private static String community(String kind, String visibility) {
        return given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"name":"%s %s","kind":"%s","visibility":"%s","description":"Test community"}""".formatted(kind, UUID.randomUUID(), kind, visibility))
                .post("/api/communities").then().statusCode(201).body("kind", equalTo(kind)).extract().path("id");
    }

    private static UUID member(String community) {
        UUID customer = UUID.randomUUID();
        as(customer).post("/api/communities/" + community + "/join").then().statusCode(200);
        return customer;
    }

    private static String topic(String community, Instant publishesAt) {
        return given().auth().oauth2(MANAGER).contentType(ContentType.JSON)
                .body("{\"title\":\"Your best run this week\",\"kind\":\"weekly\",\"publishesAt\":\"" + publishesAt + "\"}")
                .post("/api/communities/" + community + "/topics").then().statusCode(201).extract().path("id");
    }
}
