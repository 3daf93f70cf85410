package io.custops.community.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Communities, their members, topics, posts and moderation as the API shows them. */
public final class CommunityDtos {
    private CommunityDtos() {
    }

    /** A community: kind product-interest, industry-knowledge or lifestyle; open (anyone joins) or invite-only. */
    public record CommunityRequest(String name, String kind, String description, String visibility, Integer version) {
    }

    public record CommunityView(UUID id, String name, String kind, String description, String visibility, boolean archived, int version,
            long members, long leaders, Instant createdAt) {
    }

    /**
     * One member of a community; {@code tier} is the customer's value tier from segmentation (for choosing leaders);
     * {@code leaderReview} marks a leader whose tier has dropped out of the leader tiers, for the managers to review.
     */
    public record MemberView(UUID customerId, String status, String role, Integer leaderGrade, String tier, boolean leaderReview,
            Instant joinedAt, Instant changedAt) {
    }

    public record MemberPage(List<MemberView> members, UUID nextAfter) {
    }

    /** A community as its member sees it: their status and role. */
    public record MyCommunity(UUID communityId, String name, String kind, String status, String role, Integer leaderGrade, Instant joinedAt) {
    }

    public record CustomerRef(UUID customerId, String reason) {
    }

    /** Appoint a leader from the community's high-value members, with a grade from 1 (new) to 3 (senior). */
    public record LeaderRequest(UUID customerId, Integer grade) {
    }

    /** A weekly topic or expert session, open for posts from {@code publishesAt} to {@code closesAt} (a week by default). */
    public record TopicRequest(String title, String body, String kind, Instant publishesAt, Instant closesAt) {
    }

    public record TopicView(UUID id, UUID communityId, String title, String body, String kind, Instant publishesAt, Instant closesAt,
            boolean current, long posts) {
    }

    public record PostRequest(String body, UUID topicId) {
    }

    public record PostView(UUID id, UUID communityId, UUID topicId, UUID authorId, String body, String status, int likes, int comments,
            boolean likedByMe, Instant createdAt) {
    }

    public record PostPage(List<PostView> posts, String nextBefore) {
    }

    public record CommentRequest(String body) {
    }

    public record CommentView(UUID id, UUID postId, UUID authorId, String body, String status, Instant createdAt) {
    }

    /** A report of a post or comment: {@code reason} spam, abuse, off-topic, privacy or other. */
    public record ReportRequest(String targetType, UUID targetId, String reason) {
    }

    public record ReportView(UUID id, String targetType, UUID targetId, UUID communityId, String reason, String status, Instant createdAt,
            long reportsOnTarget) {
    }

    /** Moderation of a report: {@code upheld} hides the content, {@code dismissed} shows it again. */
    public record Resolution(String outcome) {
    }

    public record HideRequest(String reason) {
    }

    /**
     * A community's health over the last {@code days}: posts per day; members active in the community (posting,
     * commenting, liking or attending its activities) as a share of its members (the plans aim at 70%); activity
     * participation (attended of registered seats) and the share of members who attended at least one.
     */
    public record CommunityMetrics(UUID communityId, String name, int days, long members, double postsPerDay, long activeMembers,
            double activeShare, long registrations, long attended, double participationRate, double attendingMemberShare) {
    }

    /**
     * The programme over the last {@code days}: its communities' figures together, points earned and redeemed and the
     * redemption rate (redeemed of earned), and the referral rate (new customers of the period who came by referral).
     */
    public record ProgrammeMetrics(int days, long members, double postsPerDay, long activeMembers, double activeShare,
            double participationRate, long pointsEarned, long pointsRedeemed, double redemptionRate, long newCustomers, long referred,
            double referralRate, List<CommunityMetrics> communities) {
    }
}
