package io.custops.community.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.community.communities.Communities;
import io.custops.community.communities.CommunityFigures;
import io.custops.community.communities.Posts;
import io.custops.community.loyalty.RetiredCustomers;
import io.custops.community.rest.dto.CommunityDtos.CommentRequest;
import io.custops.community.rest.dto.CommunityDtos.CommentView;
import io.custops.community.rest.dto.CommunityDtos.CommunityMetrics;
import io.custops.community.rest.dto.CommunityDtos.CommunityRequest;
import io.custops.community.rest.dto.CommunityDtos.CommunityView;
import io.custops.community.rest.dto.CommunityDtos.CustomerRef;
import io.custops.community.rest.dto.CommunityDtos.HideRequest;
import io.custops.community.rest.dto.CommunityDtos.LeaderRequest;
import io.custops.community.rest.dto.CommunityDtos.MemberPage;
import io.custops.community.rest.dto.CommunityDtos.MemberView;
import io.custops.community.rest.dto.CommunityDtos.MyCommunity;
import io.custops.community.rest.dto.CommunityDtos.PostPage;
import io.custops.community.rest.dto.CommunityDtos.PostRequest;
import io.custops.community.rest.dto.CommunityDtos.PostView;
import io.custops.community.rest.dto.CommunityDtos.ProgrammeMetrics;
import io.custops.community.rest.dto.CommunityDtos.ReportRequest;
import io.custops.community.rest.dto.CommunityDtos.ReportView;
import io.custops.community.rest.dto.CommunityDtos.Resolution;
import io.custops.community.rest.dto.CommunityDtos.TopicRequest;
import io.custops.community.rest.dto.CommunityDtos.TopicView;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Communities: managers run them (create, invite, remove, ban, appoint leaders, schedule topics, moderate); members
 * join, leave, post, comment, like and report with their member token; a community's leaders moderate it too.
 * Members read open communities and those they belong to; a banned member reads nothing there.
 */
@Path("/api/communities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Communities")
@SecurityRequirement(name = "SecurityScheme")
public class CommunityResource {
    private static final String[] STAFF = { Roles.ADMIN, Roles.COMMUNITY_MANAGER };

    private final Communities communities;
    private final Posts posts;
    private final CommunityFigures metrics;
    private final Caller caller;

    public CommunityResource(Communities communities, Posts posts, CommunityFigures metrics, Caller caller) {
        this.communities = communities;
        this.posts = posts;
        this.metrics = metrics;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Create a community", description = "kind product-interest, industry-knowledge or lifestyle; visibility open or invite-only.")
    public Uni<Response> create(CommunityRequest request) {
        return Panache.withTransaction(() -> communities.create(request, caller.name()))
                .map(c -> Response.created(URI.create("/api/communities/" + c.id())).entity(c).build());
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Change a community", description = "With the version you read (409 when it changed).")
    public Uni<CommunityView> update(@PathParam("id") UUID id, CommunityRequest request) {
        return Panache.withTransaction(() -> communities.update(id, request));
    }

    @POST
    @Path("/{id}/archive")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    public Uni<CommunityView> archive(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> communities.archive(id));
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MARKETER, Roles.MEMBER })
    public Uni<List<CommunityView>> list(@QueryParam("kind") String kind) {
        return Panache.withSession(() -> communities.list(kind));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MARKETER, Roles.MEMBER })
    public Uni<CommunityView> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> communities.get(id));
    }

    @GET
    @Path("/metrics")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST })
    @Operation(summary = "Programme metrics", description = "Over the last days (30 by default, at most 366): members, posts per day, monthly "
            + "active share, activity participation, points earned and redeemed, redemption rate, referral rate, and every community's figures. "
            + "Also on /q/metrics (custops_community_*, custops_loyalty_*, custops_referral_rate).")
    public Uni<ProgrammeMetrics> programmeMetrics(@QueryParam("days") Integer days) {
        return Panache.withSession(() -> metrics.programme(window(days)));
    }

    @GET
    @Path("/{id}/metrics")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST })
    @Operation(summary = "A community's metrics", description = "Posts per day, active share of members, activity participation over the last days.")
    public Uni<CommunityMetrics> communityMetrics(@PathParam("id") UUID id, @QueryParam("days") Integer days) {
        return Panache.withSession(() -> communities.get(id).flatMap(c -> metrics.communities(id, window(days))).map(all -> all.get(0)));
    }

    private static int window(Integer days) {
        if (days != null && (days < 1 || days > 366)) {
            throw ProblemException.badRequest("days must be 1 to 366.", List.of(new Problem.FieldError("days", "1 to 366")));
        }
        return days == null ? 30 : days;
    }

    @GET
    @Path("/me")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My communities", description = "Those I belong to and those I am invited to.")
    public Uni<List<MyCommunity>> mine() {
        return Panache.withSession(() -> me().flatMap(communities::mine));
    }

    @GET
    @Path("/me/posts")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My posts", description = "Newest first, with their status (a moderator may have hidden one).")
    public Uni<List<PostView>> myPosts() {
        return Panache.withSession(() -> me().flatMap(posts::byAuthor));
    }

    @POST
    @Path("/{id}/join")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Join a community", description = "An open one, or an invite-only one I am invited to (403 otherwise, and when banned). "
            + "Publishes MemberJoined.")
    public Uni<MyCommunity> join(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> me().flatMap(customer -> communities.join(id, customer)));
    }

    @POST
    @Path("/{id}/leave")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.MEMBER)
    public Uni<MyCommunity> leave(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> me().flatMap(customer -> communities.leave(id, customer)));
    }

    @POST
    @Path("/{id}/invitations")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Invite a customer", description = "The customer joins by accepting (POST /{id}/join with their member token).")
    public Uni<MemberView> invite(@PathParam("id") UUID id, CustomerRef ref) {
        return Panache.withTransaction(() -> customer(ref).flatMap(customer -> communities.invite(id, customer, caller.name())));
    }

    @DELETE
    @Path("/{id}/members/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Remove a member", description = "They can come back only by a new invitation.")
    public Uni<MemberView> remove(@PathParam("id") UUID id, @PathParam("customerId") UUID customer, @QueryParam("reason") String reason) {
        return Panache.withTransaction(() -> communities.remove(id, customer, reason));
    }

    @POST
    @Path("/{id}/bans")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Ban a customer", description = "A banned customer cannot join, read, post, comment or like in the community.")
    public Uni<MemberView> ban(@PathParam("id") UUID id, CustomerRef ref) {
        return Panache.withTransaction(() -> customer(ref).flatMap(customer -> communities.ban(id, customer, ref.reason())));
    }

    @DELETE
    @Path("/{id}/bans/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    public Uni<MemberView> unban(@PathParam("id") UUID id, @PathParam("customerId") UUID customer) {
        return Panache.withTransaction(() -> communities.unban(id, customer));
    }

    @GET
    @Path("/{id}/members")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST })
    @Operation(summary = "Members", description = "By customer id (keyset: pass nextAfter as after), optionally of one status; 100 by default, "
            + "at most 1000.")
    public Uni<MemberPage> members(@PathParam("id") UUID id, @QueryParam("status") String status, @QueryParam("after") UUID after,
            @QueryParam("limit") Integer limit) {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw ProblemException.badRequest("limit must be 1 to 1000.", List.of(new Problem.FieldError("limit", "1 to 1000")));
        }
        return Panache.withSession(() -> communities.get(id).flatMap(c -> communities.members(id, status, after, limit == null ? 100 : limit)));
    }

    @GET
    @Path("/{id}/leader-candidates")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Leader candidates", description = "Active members in the leader value tiers (segmentation's tiers, A and B by default), best first.")
    public Uni<List<MemberView>> candidates(@PathParam("id") UUID id) {
        return Panache.withSession(() -> communities.leaderCandidates(id));
    }

    @POST
    @Path("/{id}/leaders")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Appoint a leader", description = "An active member in a leader tier, with a grade 1 to 3 (409 otherwise).")
    public Uni<MemberView> appoint(@PathParam("id") UUID id, LeaderRequest request) {
        if (request == null || request.customerId() == null) {
            throw ProblemException.badRequest("The customer is required.", List.of(new Problem.FieldError("customerId", "is required")));
        }
        return Panache.withTransaction(() -> communities.appointLeader(id, request.customerId(), request.grade()));
    }

    @DELETE
    @Path("/{id}/leaders/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    public Uni<MemberView> demote(@PathParam("id") UUID id, @PathParam("customerId") UUID customer) {
        return Panache.withTransaction(() -> communities.demoteLeader(id, customer));
    }

    @POST
    @Path("/{id}/topics")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Schedule a topic", description = "A weekly topic or an expert session, open for posts from publishesAt to closesAt "
            + "(a week by default).")
    public Uni<Response> schedule(@PathParam("id") UUID id, TopicRequest request) {
        return Panache.withTransaction(() -> posts.schedule(id, request, caller.name()))
                .map(t -> Response.status(201).entity(t).build());
    }

    @GET
    @Path("/{id}/topics")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    @Operation(summary = "Topics", description = "Newest first; members see published ones (current = open for posts now).")
    public Uni<List<TopicView>> topics(@PathParam("id") UUID id) {
        return Panache.withSession(() -> requireReader(id).flatMap(x -> posts.topics(id, !isStaff())));
    }

    @GET
    @Path("/{id}/posts")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    @Operation(summary = "Posts", description = "Newest first, 20 by default (at most 100); pass nextBefore as before for the next page. "
            + "Moderators also see hidden posts.")
    public Uni<PostPage> posts(@PathParam("id") UUID id, @QueryParam("before") String before, @QueryParam("limit") Integer limit) {
        if (limit != null && (limit < 1 || limit > 100)) {
            throw ProblemException.badRequest("limit must be 1 to 100.", List.of(new Problem.FieldError("limit", "1 to 100")));
        }
        return Panache.withSession(() -> requireReader(id).flatMap(x -> moderates(id))
                .flatMap(moderator -> posts.posts(id, caller.customerId().orElse(null), moderator, before, limit == null ? 20 : limit)));
    }

    @POST
    @Path("/{id}/posts")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Publish a post", description = "Active members only; a topicId answers an open topic. Publishes PostPublished and earns "
            + "points by the community_post engagement rules.")
    public Uni<Response> publish(@PathParam("id") UUID id, PostRequest request) {
        return Panache.withTransaction(() -> me().flatMap(author -> posts.publish(id, author, request == null ? null : request.body(),
                request == null ? null : request.topicId())))
                .map(p -> Response.created(URI.create("/api/communities/posts/" + p.id())).entity(p).build());
    }

    @GET
    @Path("/posts/{postId}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<PostView> post(@PathParam("postId") UUID postId) {
        return Panache.withSession(() -> posts.communityOf("post", postId).flatMap(this::requireReader).flatMap(community -> moderates(community))
                .flatMap(moderator -> posts.post(postId, caller.customerId().orElse(null)).map(p -> {
                    if (!moderator && !"visible".equals(p.status()) && !p.authorId().equals(caller.customerId().orElse(null))) {
                        throw ProblemException.notFound("No post " + postId + ".");
                    }
                    return p;
                })));
    }

    @GET
    @Path("/posts/{postId}/comments")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<List<CommentView>> comments(@PathParam("postId") UUID postId) {
        return Panache.withSession(() -> posts.communityOf("post", postId).flatMap(this::requireReader).flatMap(this::moderates)
                .flatMap(moderator -> posts.comments(postId, moderator)));
    }

    @POST
    @Path("/posts/{postId}/comments")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Comment on a post", description = "Active members of the post's community only.")
    public Uni<Response> comment(@PathParam("postId") UUID postId, CommentRequest request) {
        return Panache.withTransaction(() -> me().flatMap(author -> posts.comment(postId, author, request == null ? null : request.body())))
                .map(c -> Response.status(201).entity(c).build());
    }

    @PUT
    @Path("/posts/{postId}/like")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.MEMBER)
    public Uni<PostView> like(@PathParam("postId") UUID postId) {
        return Panache.withTransaction(() -> me().flatMap(customer -> posts.like(postId, customer, true)));
    }

    @DELETE
    @Path("/posts/{postId}/like")
    @RolesAllowed(Roles.MEMBER)
    public Uni<PostView> unlike(@PathParam("postId") UUID postId) {
        return Panache.withTransaction(() -> me().flatMap(customer -> posts.like(postId, customer, false)));
    }

    @POST
    @Path("/reports")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Report a post or comment", description = "Once per member and content; reason spam, abuse, off-topic, privacy or other. "
            + "Content with enough open reports is hidden until a moderator decides.")
    public Uni<Response> report(ReportRequest request) {
        if (request == null || request.targetId() == null) {
            throw ProblemException.badRequest("What is reported is required.", List.of(new Problem.FieldError("targetId", "is required")));
        }
        return Panache.withTransaction(() -> me().flatMap(reporter -> posts.report(request.targetType(), request.targetId(), reporter,
                request.reason()))).map(r -> Response.status(201).entity(r).build());
    }

    @GET
    @Path("/{id}/reports")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.MEMBER })
    @Operation(summary = "Open reports", description = "For the community's moderators: managers and its leaders.")
    public Uni<List<ReportView>> reports(@PathParam("id") UUID id) {
        return Panache.withSession(() -> requireModerator(id).flatMap(x -> posts.openReports(id)));
    }

    @POST
    @Path("/reports/{targetType}/{targetId}/resolution")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.MEMBER })
    @Operation(summary = "Decide on reported content", description = "upheld hides it, dismissed shows it again; for the community's moderators.")
    public Uni<Response> resolve(@PathParam("targetType") String targetType, @PathParam("targetId") UUID targetId, Resolution resolution) {
        return Panache.withTransaction(() -> posts.communityOf(checkedType(targetType), targetId).flatMap(this::requireModerator)
                .flatMap(x -> posts.resolve(targetType, targetId, resolution == null ? null : resolution.outcome(), caller.name())))
                .map(x -> Response.noContent().build());
    }

    @POST
    @Path("/{targetType}/{targetId}/hide")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.MEMBER })
    @Operation(summary = "Hide a post or comment", description = "targetType posts or comments; for the community's moderators.")
    public Uni<Response> hide(@PathParam("targetType") String targetType, @PathParam("targetId") UUID targetId, HideRequest request) {
        return moderate(targetType, targetId, true, request == null || request.reason() == null ? "moderator" : request.reason());
    }

    @POST
    @Path("/{targetType}/{targetId}/unhide")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.MEMBER })
    public Uni<Response> unhide(@PathParam("targetType") String targetType, @PathParam("targetId") UUID targetId) {
        return moderate(targetType, targetId, false, null);
    }

    private Uni<Response> moderate(String targetType, UUID targetId, boolean hide, String reason) {
        String type = "posts".equals(targetType) ? "post" : "comments".equals(targetType) ? "comment" : null;
        if (type == null) {
            throw ProblemException.notFound("No such content type: " + targetType + ".");
        }
        return Panache.withTransaction(() -> posts.communityOf(type, targetId).flatMap(this::requireModerator)
                .flatMap(x -> posts.moderate(type, targetId, hide, reason))).map(x -> Response.noContent().build());
    }

    private static String checkedType(String targetType) {
        if (!"post".equals(targetType) && !"comment".equals(targetType)) {
            throw ProblemException.notFound("No such content type: " + targetType + ".");
        }
        return targetType;
    }

    private boolean isStaff() {
        for (String role : STAFF) {
            if (caller.hasRole(role)) {
                return true;
            }
        }
        return caller.hasRole(Roles.ANALYST);
    }

    /** Staff read everything; a member reads an open community or one they are active in, and nothing where banned. */
    private Uni<UUID> requireReader(UUID community) {
        if (isStaff()) {
            return communities.get(community).replaceWith(community);
        }
        return me().flatMap(customer -> communities.get(community).flatMap(c -> communities.statusOf(community, customer).map(status -> {
            if ("banned".equals(status) || (!"active".equals(status) && !"open".equals(c.visibility()))) {
                throw ProblemException.notFound("No community " + community + ".");
            }
            return community;
        })));
    }

    /** Managers moderate every community, leaders their own. */
    private Uni<Boolean> moderates(UUID community) {
        if (caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.COMMUNITY_MANAGER)) {
            return Uni.createFrom().item(true);
        }
        if (caller.customerId().isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return communities.member(community, caller.customerId().get()).map(m -> "active".equals(m.status()) && "leader".equals(m.role()))
                .onFailure(ProblemException.class).recoverWithItem(false);
    }

    private Uni<Void> requireModerator(UUID community) {
        return moderates(community).map(moderator -> {
            if (!moderator) {
                throw new ProblemException(403, "Forbidden", "Only the community's managers and leaders moderate it.");
            }
            return null;
        });
    }

    private Uni<UUID> me() {
        return RetiredCustomers.requireLive(caller.requireOwnCustomerId());
    }

    private static Uni<UUID> customer(CustomerRef ref) {
        if (ref == null || ref.customerId() == null) {
            throw ProblemException.badRequest("The customer is required.", List.of(new Problem.FieldError("customerId", "is required")));
        }
        return RetiredCustomers.requireLive(ref.customerId());
    }
}
