package io.custops.community.communities;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.custops.community.rest.dto.CommunityDtos.CommunityRequest;
import io.custops.community.rest.dto.CommunityDtos.CommunityView;
import io.custops.community.rest.dto.CommunityDtos.MemberPage;
import io.custops.community.rest.dto.CommunityDtos.MemberView;
import io.custops.community.rest.dto.CommunityDtos.MyCommunity;
import io.custops.events.EventType;
import io.custops.events.payload.MemberJoined;
import io.custops.events.payload.TierChanged;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Communities and their membership. Members join open communities and leave; invite-only ones they join by
 * accepting a manager's invitation; managers remove and ban. Leaders are appointed from active members whose value
 * tier (segmentation's TierChanged) is one of the leader tiers, with a grade.
 */
@ApplicationScoped
public class Communities {
    static final Set<String> KINDS = Set.of("product-interest", "industry-knowledge", "lifestyle");
    private static final String COLUMNS = "c.id, c.name, c.kind, c.description, c.visibility, c.archived, c.version, c.created_at,"
            + " (SELECT count(*) FROM community_member m WHERE m.community_id = c.id AND m.status = 'active'),"
            + " (SELECT count(*) FROM community_member m WHERE m.community_id = c.id AND m.status = 'active' AND m.role = 'leader')";

    private final EventOutbox outbox;
    private final Set<String> leaderTiers;

    public Communities(EventOutbox outbox, @ConfigProperty(name = "custops.communities.leader-tiers", defaultValue = "A,B") Set<String> leaderTiers) {
        this.outbox = outbox;
        this.leaderTiers = leaderTiers;
    }

    public Uni<CommunityView> create(CommunityRequest request, String actor) {
        validate(request);
        UUID id = UUID.randomUUID();
        return NativeSql.execute("""
                INSERT INTO community (id, name, kind, description, visibility, created_by, created_at, updated_at)
                VALUES (:id, :name, :kind, :description, :visibility, :actor, now(), now()) ON CONFLICT DO NOTHING""",
                NativeSql.params("id", id, "name", request.name().trim(), "kind", request.kind(), "description", request.description(),
                        "visibility", request.visibility() == null ? "open" : request.visibility(), "actor", actor))
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        throw ProblemException.conflict("A community named '" + request.name().trim() + "' exists already.");
                    }
                    return get(id);
                });
    }

    public Uni<CommunityView> update(UUID id, CommunityRequest request) {
        validate(request);
        if (request.version() == null) {
            throw ProblemException.badRequest("The community's current version is required.",
                    List.of(new Problem.FieldError("version", "is required: the version you read")));
        }
        return NativeSql.execute("""
                UPDATE community SET name = :name, kind = :kind, description = :description, visibility = :visibility, version = version + 1,
                    updated_at = now()
                WHERE id = :id AND version = :version AND NOT archived""", NativeSql.params("id", id, "name", request.name().trim(),
                "kind", request.kind(), "description", request.description(), "visibility", request.visibility() == null ? "open"
                        : request.visibility(), "version", request.version()))
                .flatMap(updated -> get(id).map(c -> {
                    if (updated == 0) {
                        throw ProblemException.conflict("Community " + id + " is at version " + c.version() + " (or archived); read it again.");
                    }
                    return c;
                }));
    }

    public Uni<CommunityView> archive(UUID id) {
        return NativeSql.execute("UPDATE community SET archived = true, version = version + 1, updated_at = now() WHERE id = :id",
                Map.of("id", id)).flatMap(x -> get(id));
    }

    public Uni<CommunityView> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM community c WHERE c.id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Communities::view)
                        .orElseThrow(() -> ProblemException.notFound("No community " + id + ".")));
    }

    public Uni<List<CommunityView>> list(String kind) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM community c WHERE NOT c.archived AND (CAST(:kind AS text) IS NULL OR c.kind = :kind)"
                + " ORDER BY lower(c.name) LIMIT 500", Object[].class, NativeSql.params("kind", kind))
                .map(rows -> rows.stream().map(Communities::view).toList());
    }

    /** The member's status in the community, or null when they never had one. */
    public Uni<String> statusOf(UUID community, UUID customer) {
        return NativeSql.list("SELECT status FROM community_member WHERE community_id = :community AND customer_id = :customer", String.class,
                Map.of("community", community, "customer", customer)).map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** A member joins (an open community, or an invite-only one they were invited to). Publishes MemberJoined. */
    public Uni<MyCommunity> join(UUID community, UUID customer) {
        return live(community).flatMap(c -> statusOf(community, customer).flatMap(status -> {
            if ("active".equals(status)) {
                return mine(community, customer);
            }
            if ("banned".equals(status)) {
                throw new ProblemException(403, "Forbidden", "You are banned from this community.");
            }
            boolean invited = "invited".equals(status);
            if (!invited && ("invite-only".equals(c.visibility()) || "removed".equals(status))) {
                throw new ProblemException(403, "Forbidden", "This community is open by invitation only.");
            }
            Instant now = Instant.now();
            return NativeSql.execute("""
                    INSERT INTO community_member (community_id, customer_id, status, joined_at, changed_at)
                    VALUES (:community, :customer, 'active', :now, :now)
                    ON CONFLICT (community_id, customer_id) DO UPDATE SET status = 'active', role = 'member', leader_grade = NULL,
                        joined_at = excluded.joined_at, changed_at = excluded.changed_at, reason = NULL""",
                    NativeSql.params("community", community, "customer", customer, "now", NativeSql.utc(now)))
                    .flatMap(x -> outbox.record(EventType.MEMBER_JOINED, customer, new MemberJoined(customer, community, c.kind(), "member",
                            invited ? "invitation" : "self", now)))
                    .flatMap(x -> mine(community, customer));
        }));
    }

    public Uni<MyCommunity> leave(UUID community, UUID customer) {
        return change(community, customer, Set.of("active", "invited"), "left", null).flatMap(x -> mine(community, customer));
    }

    /** A manager invites a customer (not one who is active or banned). */
    public Uni<MemberView> invite(UUID community, UUID customer, String actor) {
        return live(community).flatMap(c -> statusOf(community, customer)).flatMap(status -> {
            if ("active".equals(status) || "banned".equals(status)) {
                throw ProblemException.conflict("The customer is " + status + " in this community.");
            }
            return NativeSql.execute("""
                    INSERT INTO community_member (community_id, customer_id, status, invited_by, changed_at)
                    VALUES (:community, :customer, 'invited', :actor, now())
                    ON CONFLICT (community_id, customer_id) DO UPDATE SET status = 'invited', invited_by = excluded.invited_by,
                        changed_at = now(), reason = NULL""", NativeSql.params("community", community, "customer", customer, "actor", actor))
                    .flatMap(x -> member(community, customer));
        });
    }

    public Uni<MemberView> remove(UUID community, UUID customer, String reason) {
        return change(community, customer, Set.of("active", "invited"), "removed", reason).flatMap(x -> member(community, customer));
    }

    /** Bans a customer from the community (whatever their status; they cannot join, post, comment or like). */
    public Uni<MemberView> ban(UUID community, UUID customer, String reason) {
        return live(community).flatMap(c -> NativeSql.execute("""
                INSERT INTO community_member (community_id, customer_id, status, changed_at, reason)
                VALUES (:community, :customer, 'banned', now(), :reason)
                ON CONFLICT (community_id, customer_id) DO UPDATE SET status = 'banned', role = 'member', leader_grade = NULL, changed_at = now(),
                    reason = excluded.reason""", NativeSql.params("community", community, "customer", customer, "reason", reason)))
                .flatMap(x -> member(community, customer));
    }

    public Uni<MemberView> unban(UUID community, UUID customer) {
        return change(community, customer, Set.of("banned"), "left", null).flatMap(x -> member(community, customer));
    }

    private Uni<Void> change(UUID community, UUID customer, Set<String> from, String to, String reason) {
        return NativeSql.execute("""
                UPDATE community_member SET status = :to, role = 'member', leader_grade = NULL, changed_at = now(), reason = :reason
                WHERE community_id = :community AND customer_id = :customer
                  AND status IN (SELECT jsonb_array_elements_text(CAST(CAST(:from AS text) AS jsonb)))""",
                NativeSql.params("community", community, "customer", customer, "to", to, "reason", reason, "from", NativeSql.json(List.copyOf(from))))
                .map(updated -> {
                    if (updated == 0) {
                        throw ProblemException.conflict("The customer is not " + String.join(" or ", from) + " in community " + community + ".");
                    }
                    return null;
                });
    }

    /** Appoints (or re-grades) a leader: an active member in one of the leader tiers. */
    public Uni<MemberView> appointLeader(UUID community, UUID customer, Integer grade) {
        if (grade == null || grade < 1 || grade > 3) {
            throw ProblemException.badRequest("A leader's grade is 1 to 3.", List.of(new Problem.FieldError("grade", "1 (new) to 3 (senior)")));
        }
        return member(community, customer).flatMap(m -> {
            if (!"active".equals(m.status())) {
                throw ProblemException.conflict("Only an active member can lead; this customer is " + m.status() + ".");
            }
            if (m.tier() == null || !leaderTiers.contains(m.tier())) {
                throw ProblemException.conflict("Leaders are chosen from value tiers " + leaderTiers + "; this member's tier is "
                        + (m.tier() == null ? "unknown" : m.tier()) + ".");
            }
            return NativeSql.execute("""
                    UPDATE community_member SET role = 'leader', leader_grade = :grade, changed_at = now()
                    WHERE community_id = :community AND customer_id = :customer""",
                    Map.of("community", community, "customer", customer, "grade", grade)).flatMap(x -> member(community, customer));
        });
    }

    public Uni<MemberView> demoteLeader(UUID community, UUID customer) {
        return NativeSql.execute("""
                UPDATE community_member SET role = 'member', leader_grade = NULL, changed_at = now()
                WHERE community_id = :community AND customer_id = :customer AND role = 'leader'""",
                Map.of("community", community, "customer", customer)).flatMap(x -> member(community, customer));
    }

    /** Active members in the leader tiers who do not lead yet, best value first. */
    public Uni<List<MemberView>> leaderCandidates(UUID community) {
        return members("m.community_id = :community AND m.status = 'active' AND m.role = 'member'"
                + " AND v.tier IN (SELECT jsonb_array_elements_text(CAST(CAST(:tiers AS text) AS jsonb)))",
                "v.tier, v.value_score DESC NULLS LAST, m.customer_id", NativeSql.params("community", community,
                        "tiers", NativeSql.json(List.copyOf(leaderTiers)), "limit", 50));
    }

    public Uni<MemberView> member(UUID community, UUID customer) {
        return members("m.community_id = :community AND m.customer_id = :customer", "m.customer_id",
                NativeSql.params("community", community, "customer", customer, "limit", 1))
                .map(rows -> rows.stream().findFirst().orElseThrow(() -> ProblemException.notFound("Customer " + customer
                        + " has no membership in community " + community + ".")));
    }

    /** Members by customer id (keyset), optionally of one status. */
    public Uni<MemberPage> members(UUID community, String status, UUID after, int limit) {
        return members("m.community_id = :community AND (CAST(:status AS text) IS NULL OR m.status = :status)"
                + " AND (CAST(:after AS uuid) IS NULL OR m.customer_id > :after)", "m.customer_id",
                NativeSql.params("community", community, "status", status, "after", after, "limit", limit))
                .map(rows -> new MemberPage(rows, rows.size() < limit ? null : rows.get(rows.size() - 1).customerId()));
    }

    private Uni<List<MemberView>> members(String where, String order, Map<String, Object> params) {
        return NativeSql.list("""
                SELECT m.customer_id, m.status, m.role, m.leader_grade, v.tier, m.joined_at, m.changed_at,
                       m.role = 'leader' AND (v.tier IS NULL OR v.tier NOT IN (
                           SELECT jsonb_array_elements_text(CAST(CAST(:leaderTiers AS text) AS jsonb))))
                FROM community_member m LEFT JOIN customer_value v ON v.customer_id = m.customer_id
                WHERE %s ORDER BY %s LIMIT :limit""".formatted(where, order), Object[].class,
                NativeSql.with(params, "leaderTiers", NativeSql.json(List.copyOf(leaderTiers))))
                .map(rows -> rows.stream().map(r -> new MemberView((UUID) r[0], (String) r[1], (String) r[2],
                        r[3] == null ? null : ((Number) r[3]).intValue(), (String) r[4], Boolean.TRUE.equals(r[7]), NativeSql.instant(r[5]),
                        NativeSql.instant(r[6]))).toList());
    }

    /** The communities the member belongs to (or was invited to). */
    public Uni<List<MyCommunity>> mine(UUID customer) {
        return NativeSql.list("""
                SELECT c.id, c.name, c.kind, m.status, m.role, m.leader_grade, m.joined_at FROM community_member m JOIN community c ON c.id = m.community_id
                WHERE m.customer_id = :customer AND m.status IN ('active', 'invited') AND NOT c.archived ORDER BY lower(c.name) LIMIT 500""",
                Object[].class, Map.of("customer", customer))
                .map(rows -> rows.stream().map(Communities::myView).toList());
    }

    private Uni<MyCommunity> mine(UUID community, UUID customer) {
        return NativeSql.list("""
                SELECT c.id, c.name, c.kind, m.status, m.role, m.leader_grade, m.joined_at FROM community_member m JOIN community c ON c.id = m.community_id
                WHERE m.customer_id = :customer AND m.community_id = :community""", Object[].class, Map.of("customer", customer, "community", community))
                .map(rows -> myView(rows.get(0)));
    }

    /** Segmentation's latest value tier of the customer (out-of-order events never overwrite a newer one). */
    public static Uni<Void> tierChanged(UUID customer, TierChanged e) {
        return NativeSql.execute("""
                INSERT INTO customer_value (customer_id, tier, value_score, changed_at) VALUES (:customer, :tier, :score, :at)
                ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, value_score = excluded.value_score, changed_at = excluded.changed_at
                WHERE customer_value.changed_at <= excluded.changed_at""",
                NativeSql.params("customer", customer, "tier", e.to(), "score", e.valueScore(), "at", NativeSql.utc(e.changedAt()))).replaceWithVoid();
    }

    /** The community, 404 when there is none, 409 when archived. */
    public Uni<CommunityView> live(UUID community) {
        return get(community).map(c -> {
            if (c.archived()) {
                throw ProblemException.conflict("Community " + community + " is archived.");
            }
            return c;
        });
    }

    private static void validate(CommunityRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("A community is required.", List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (r.kind() == null || !KINDS.contains(r.kind())) {
            errors.add(new Problem.FieldError("kind", "must be product-interest, industry-knowledge or lifestyle"));
        }
        if (r.visibility() != null && !"open".equals(r.visibility()) && !"invite-only".equals(r.visibility())) {
            errors.add(new Problem.FieldError("visibility", "must be open or invite-only"));
        }
        if (r.description() != null && r.description().length() > 5000) {
            errors.add(new Problem.FieldError("description", "at most 5000 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The community has invalid fields.", errors);
        }
    }

    private static CommunityView view(Object[] r) {
        return new CommunityView((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], (Boolean) r[5],
                ((Number) r[6]).intValue(), ((Number) r[8]).longValue(), ((Number) r[9]).longValue(), NativeSql.instant(r[7]));
    }

    private static MyCommunity myView(Object[] r) {
        return new MyCommunity((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                r[5] == null ? null : ((Number) r[5]).intValue(), NativeSql.instant(r[6]));
    }
}
