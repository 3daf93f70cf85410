package io.custops.community.communities;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.custops.community.activities.Challenges;
import io.custops.community.loyalty.EarnRules;
import io.custops.community.loyalty.Ledger;
import io.custops.community.rest.dto.CommunityDtos.CommentView;
import io.custops.community.rest.dto.CommunityDtos.PostPage;
import io.custops.community.rest.dto.CommunityDtos.PostView;
import io.custops.community.rest.dto.CommunityDtos.ReportView;
import io.custops.community.rest.dto.CommunityDtos.TopicRequest;
import io.custops.community.rest.dto.CommunityDtos.TopicView;
import io.custops.events.EventType;
import io.custops.events.payload.PostPublished;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.persistence.TimeKeyset;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Topics, posts, comments, likes and moderation. Only active members post, comment and like (a ban stops all three);
 * a post answering a topic must come while the topic is open. Posting and commenting earn points by the engagement
 * rules for {@code community_post} and {@code community_comment}. Content reported by enough members is hidden until
 * a moderator (a manager, or a leader of the community) upholds or dismisses the reports.
 */
@ApplicationScoped
public class Posts {
    static final Set<String> REASONS = Set.of("spam", "abuse", "off-topic", "privacy", "other");
    private static final int MAX_BODY = 10_000;
    private static final String POST_COLUMNS = "p.id, p.community_id, p.topic_id, p.author_id, p.body, p.status, p.like_count, p.comment_count,"
            + " EXISTS (SELECT 1 FROM post_like l WHERE l.post_id = p.id AND l.customer_id = CAST(:viewer AS uuid)), p.created_at";

    private final Communities communities;
    private final EarnRules rules;
    private final Challenges challenges;
    private final EventOutbox outbox;
    private final int hideAfterReports;

    public Posts(Communities communities, EarnRules rules, Challenges challenges, EventOutbox outbox,
            @ConfigProperty(name = "custops.communities.hide-after-reports", defaultValue = "3") int hideAfterReports) {
        this.communities = communities;
        this.rules = rules;
        this.challenges = challenges;
        this.outbox = outbox;
        this.hideAfterReports = hideAfterReports;
    }

    public Uni<TopicView> schedule(UUID community, TopicRequest request, String actor) {
        if (request == null || request.title() == null || request.title().isBlank() || request.title().length() > 300
                || request.publishesAt() == null || (request.kind() != null && !Set.of("weekly", "expert").contains(request.kind()))
                || (request.closesAt() != null && !request.closesAt().isAfter(request.publishesAt()))) {
            throw ProblemException.badRequest("A topic needs a title (at most 300 characters), publishesAt, a kind of weekly or expert, and "
                    + "closesAt after publishesAt.", List.of(new Problem.FieldError("title", "required"), new Problem.FieldError("publishesAt",
                            "required"), new Problem.FieldError("closesAt", "after publishesAt")));
        }
        UUID id = UUID.randomUUID();
        Instant closes = request.closesAt() == null ? request.publishesAt().plus(Duration.ofDays(7)) : request.closesAt();
        return communities.live(community).flatMap(c -> NativeSql.execute("""
                INSERT INTO topic (id, community_id, title, body, kind, publishes_at, closes_at, created_by, created_at)
                VALUES (:id, :community, :title, :body, :kind, :publishes, :closes, :actor, now())""",
                NativeSql.params("id", id, "community", community, "title", request.title().trim(), "body", request.body(),
                        "kind", request.kind() == null ? "weekly" : request.kind(), "publishes", NativeSql.utc(request.publishesAt()),
                        "closes", NativeSql.utc(closes), "actor", actor)))
                .flatMap(x -> topics(community, false).map(all -> all.stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow()));
    }

    /** The community's topics, newest first; {@code published} leaves out those still scheduled. */
    public Uni<List<TopicView>> topics(UUID community, boolean published) {
        return NativeSql.list("""
                SELECT t.id, t.community_id, t.title, t.body, t.kind, t.publishes_at, t.closes_at, t.publishes_at <= now() AND now() < t.closes_at,
                       (SELECT count(*) FROM post p WHERE p.topic_id = t.id AND p.status = 'visible')
                FROM topic t WHERE t.community_id = :community AND (NOT CAST(:published AS boolean) OR t.publishes_at <= now())
                ORDER BY t.publishes_at DESC LIMIT 200""", Object[].class, Map.of("community", community, "published", published))
                .map(rows -> rows.stream().map(r -> new TopicView((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (String) r[4],
                        NativeSql.instant(r[5]), NativeSql.instant(r[6]), (Boolean) r[7], ((Number) r[8]).longValue())).toList());
    }

    public Uni<PostView> publish(UUID community, UUID author, String body, UUID topicId) {
        requireBody(body);
        return requireActive(community, author)
                .flatMap(x -> topicId == null ? Uni.createFrom().voidItem() : NativeSql.list("""
                        SELECT publishes_at <= now() AND now() < closes_at FROM topic WHERE id = :topic AND community_id = :community""",
                        Boolean.class, Map.of("topic", topicId, "community", community)).map(open -> {
                            if (open.isEmpty()) {
                                throw ProblemException.badRequest("No such topic in this community.", List.of(new Problem.FieldError("topicId",
                                        "no such topic in this community")));
                            }
                            if (!open.get(0)) {
                                throw ProblemException.conflict("The topic is not open for posts now.");
                            }
                            return null;
                        }))
                .flatMap(x -> {
                    UUID id = UUID.randomUUID();
                    Instant now = Instant.now();
                    return NativeSql.execute("""
                            INSERT INTO post (id, community_id, topic_id, author_id, body, status, created_at)
                            VALUES (:id, :community, :topic, :author, :body, 'visible', :now)""",
                            NativeSql.params("id", id, "community", community, "topic", topicId, "author", author, "body", body.trim(),
                                    "now", NativeSql.utc(now)))
                            .flatMap(y -> outbox.record(EventType.POST_PUBLISHED, author, new PostPublished(author, community, id, topicId, now)))
                            .flatMap(y -> Ledger.lock(author))
                            .flatMap(y -> rules.engage(author, "community_post", id.toString(), now))
                            .flatMap(y -> challenges.evaluate(author, "posts-in-period"))
                            .flatMap(y -> post(id, author));
                });
    }

    public Uni<CommentView> comment(UUID postId, UUID author, String body) {
        requireBody(body);
        return visiblePost(postId).flatMap(p -> requireActive(p.communityId(), author)).flatMap(x -> {
            UUID id = UUID.randomUUID();
            Instant now = Instant.now();
            return NativeSql.execute("""
                    INSERT INTO post_comment (id, post_id, author_id, body, status, created_at) VALUES (:id, :post, :author, :body, 'visible', :now)""",
                    NativeSql.params("id", id, "post", postId, "author", author, "body", body.trim(), "now", NativeSql.utc(now)))
                    .flatMap(y -> NativeSql.execute("UPDATE post SET comment_count = comment_count + 1 WHERE id = :post", Map.of("post", postId)))
                    .flatMap(y -> rules.engage(author, "community_comment", id.toString(), now))
                    .map(y -> new CommentView(id, postId, author, body.trim(), "visible", now));
        });
    }

    public Uni<PostView> like(UUID postId, UUID customer, boolean like) {
        return visiblePost(postId).flatMap(p -> requireActive(p.communityId(), customer)).flatMap(x -> NativeSql.execute(like
                ? "INSERT INTO post_like (post_id, customer_id, liked_at) VALUES (:post, :customer, now()) ON CONFLICT DO NOTHING"
                : "DELETE FROM post_like WHERE post_id = :post AND customer_id = :customer", Map.of("post", postId, "customer", customer)))
                .flatMap(changed -> changed == 0 ? Uni.createFrom().voidItem() : NativeSql.execute(
                        "UPDATE post SET like_count = like_count + :delta WHERE id = :post", Map.of("post", postId, "delta", like ? 1 : -1))
                        .replaceWithVoid())
                .flatMap(x -> post(postId, customer));
    }

    /** A community's posts, newest first (keyset on time and id); moderators also see hidden ones. */
    public Uni<PostPage> posts(UUID community, UUID viewer, boolean moderator, String before, int limit) {
        TimeKeyset cursor = TimeKeyset.parse(before);
        return NativeSql.list("SELECT " + POST_COLUMNS + " FROM post p WHERE p.community_id = :community"
                + " AND (p.status = 'visible' OR (CAST(:moderator AS boolean) AND p.status = 'hidden'))"
                + " AND (CAST(:beforeAt AS timestamptz) IS NULL OR (p.created_at, p.id) < (CAST(:beforeAt AS timestamptz), CAST(:beforeId AS uuid)))"
                + " ORDER BY p.created_at DESC, p.id DESC LIMIT :limit", Object[].class,
                NativeSql.params("community", community, "viewer", viewer, "moderator", moderator,
                        "beforeAt", cursor == null ? null : NativeSql.utc(cursor.at()), "beforeId", cursor == null ? null : cursor.id(), "limit", limit))
                .map(rows -> {
                    List<PostView> posts = rows.stream().map(Posts::view).toList();
                    PostView last = posts.isEmpty() ? null : posts.get(posts.size() - 1);
                    return new PostPage(posts, posts.size() < limit ? null : new TimeKeyset(last.createdAt(), last.id()).token());
                });
    }

    public Uni<List<CommentView>> comments(UUID postId, boolean moderator) {
        return NativeSql.list("""
                SELECT id, post_id, author_id, body, status, created_at FROM post_comment
                WHERE post_id = :post AND (status = 'visible' OR (CAST(:moderator AS boolean) AND status = 'hidden'))
                ORDER BY created_at, id LIMIT 1000""", Object[].class, Map.of("post", postId, "moderator", moderator))
                .map(rows -> rows.stream().map(r -> new CommentView((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3], (String) r[4],
                        NativeSql.instant(r[5]))).toList());
    }

    /** The author's own posts, newest first. */
    public Uni<List<PostView>> byAuthor(UUID author) {
        return NativeSql.list("SELECT " + POST_COLUMNS + " FROM post p WHERE p.author_id = :viewer AND p.status <> 'erased'"
                + " ORDER BY p.created_at DESC LIMIT 200", Object[].class, Map.of("viewer", author))
                .map(rows -> rows.stream().map(Posts::view).toList());
    }

    public Uni<PostView> post(UUID postId, UUID viewer) {
        return NativeSql.list("SELECT " + POST_COLUMNS + " FROM post p WHERE p.id = :post AND p.status <> 'erased'", Object[].class,
                NativeSql.params("post", postId, "viewer", viewer))
                .map(rows -> rows.stream().findFirst().map(Posts::view).orElseThrow(() -> ProblemException.notFound("No post " + postId + ".")));
    }

    /** A member reports a post or comment (once each); enough open reports hide it until a moderator decides. */
    public Uni<ReportView> report(String targetType, UUID targetId, UUID reporter, String reason) {
        if (!"post".equals(targetType) && !"comment".equals(targetType)) {
            throw ProblemException.badRequest("targetType is post or comment.", List.of(new Problem.FieldError("targetType", "post or comment")));
        }
        if (reason == null || !REASONS.contains(reason)) {
            throw ProblemException.badRequest("The reason is one of " + REASONS + ".", List.of(new Problem.FieldError("reason", "one of " + REASONS)));
        }
        return communityOf(targetType, targetId).flatMap(community -> requireActive(community, reporter).flatMap(x -> NativeSql.execute("""
                INSERT INTO content_report (id, target_type, target_id, community_id, reporter_id, reason, status, created_at)
                VALUES (:id, :type, :target, :community, :reporter, :reason, 'open', now()) ON CONFLICT DO NOTHING""",
                NativeSql.params("id", UUID.randomUUID(), "type", targetType, "target", targetId, "community", community, "reporter", reporter,
                        "reason", reason)))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE %s SET status = 'hidden', hidden_reason = 'reported'
                        WHERE id = :target AND status = 'visible'
                          AND (SELECT count(*) FROM content_report WHERE target_type = :type AND target_id = :target AND status = 'open') >= :threshold"""
                        .formatted(table(targetType)), Map.of("target", targetId, "type", targetType, "threshold", hideAfterReports)))
                .flatMap(x -> reportOf(targetType, targetId, reporter)));
    }

    public Uni<List<ReportView>> openReports(UUID community) {
        return NativeSql.list("""
                SELECT min(CAST(id AS text)), target_type, target_id, community_id, string_agg(DISTINCT reason, ','), 'open', min(created_at), count(*)
                FROM content_report WHERE community_id = :community AND status = 'open' GROUP BY target_type, target_id, community_id
                ORDER BY count(*) DESC, min(created_at) LIMIT 200""", Object[].class, Map.of("community", community))
                .map(rows -> rows.stream().map(Posts::report).toList());
    }

    /** A moderator's decision on every open report of the content: upheld hides it, dismissed shows it again. */
    public Uni<Void> resolve(String targetType, UUID targetId, String outcome, String actor) {
        if (!"upheld".equals(outcome) && !"dismissed".equals(outcome)) {
            throw ProblemException.badRequest("The outcome is upheld or dismissed.", List.of(new Problem.FieldError("outcome", "upheld or dismissed")));
        }
        return NativeSql.execute("""
                UPDATE content_report SET status = :outcome, resolved_by = :actor, resolved_at = now()
                WHERE target_type = :type AND target_id = :target AND status = 'open'""",
                Map.of("outcome", outcome, "actor", actor, "type", targetType, "target", targetId))
                .flatMap(x -> moderate(targetType, targetId, "upheld".equals(outcome), "upheld".equals(outcome) ? "reports upheld" : null));
    }

    /** Hides (or shows again) a post or comment. */
    public Uni<Void> moderate(String targetType, UUID targetId, boolean hide, String reason) {
        return NativeSql.execute("UPDATE %s SET status = :status, hidden_reason = :reason WHERE id = :target AND status <> 'erased'"
                .formatted(table(targetType)), NativeSql.params("status", hide ? "hidden" : "visible", "reason", hide ? reason : null,
                        "target", targetId))
                .map(updated -> {
                    if (updated == 0) {
                        throw ProblemException.notFound("No " + targetType + " " + targetId + ".");
                    }
                    return null;
                });
    }

    /** The community a post or comment belongs to; 404 when there is no such content. */
    public Uni<UUID> communityOf(String targetType, UUID targetId) {
        String sql = "post".equals(targetType) ? "SELECT community_id FROM post WHERE id = :target AND status <> 'erased'"
                : "SELECT p.community_id FROM post_comment c JOIN post p ON p.id = c.post_id WHERE c.id = :target AND c.status <> 'erased'";
        return NativeSql.list(sql, UUID.class, Map.of("target", targetId))
                .map(rows -> rows.stream().findFirst().orElseThrow(() -> ProblemException.notFound("No " + targetType + " " + targetId + ".")));
    }

    private Uni<ReportView> reportOf(String targetType, UUID targetId, UUID reporter) {
        return NativeSql.list("""
                SELECT CAST(r.id AS text), r.target_type, r.target_id, r.community_id, r.reason, r.status, r.created_at,
                       (SELECT count(*) FROM content_report o WHERE o.target_type = r.target_type AND o.target_id = r.target_id AND o.status = 'open')
                FROM content_report r WHERE r.target_type = :type AND r.target_id = :target AND r.reporter_id = :reporter""", Object[].class,
                Map.of("type", targetType, "target", targetId, "reporter", reporter)).map(rows -> report(rows.get(0)));
    }

    private Uni<PostView> visiblePost(UUID postId) {
        return post(postId, null).map(p -> {
            if (!"visible".equals(p.status())) {
                throw ProblemException.notFound("No post " + postId + ".");
            }
            return p;
        });
    }

    private Uni<Void> requireActive(UUID community, UUID customer) {
        return communities.live(community).flatMap(c -> communities.statusOf(community, customer)).map(status -> {
            if ("banned".equals(status)) {
                throw new ProblemException(403, "Forbidden", "You are banned from this community.");
            }
            if (!"active".equals(status)) {
                throw new ProblemException(403, "Forbidden", "Join the community first.");
            }
            return null;
        });
    }

    private static void requireBody(String body) {
        if (body == null || body.isBlank() || body.length() > MAX_BODY) {
            throw ProblemException.badRequest("The text is required, at most " + MAX_BODY + " characters.",
                    List.of(new Problem.FieldError("body", "required, at most " + MAX_BODY + " characters")));
        }
    }

    private static String table(String targetType) {
        return "post".equals(targetType) ? "post" : "post_comment";
    }

    private static PostView view(Object[] r) {
        return new PostView((UUID) r[0], (UUID) r[1], (UUID) r[2], (UUID) r[3], (String) r[4], (String) r[5], ((Number) r[6]).intValue(),
                ((Number) r[7]).intValue(), (Boolean) r[8], NativeSql.instant(r[9]));
    }

    private static ReportView report(Object[] r) {
        return new ReportView(UUID.fromString((String) r[0]), (String) r[1], (UUID) r[2], (UUID) r[3], (String) r[4], (String) r[5],
                NativeSql.instant(r[6]), ((Number) r[7]).longValue());
    }
}
