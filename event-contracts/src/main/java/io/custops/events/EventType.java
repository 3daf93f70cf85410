package io.custops.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every CloudEvent type CustOps publishes, with the topic it goes to. The type name carries the major
 * version; its JSON Schema is {@code schemas/<type>.json} in this artifact.
 */
public enum EventType {
    PROFILE_REGISTERED("io.custops.profile.ProfileRegistered.v1", Topics.PROFILE),
    PROFILE_UPDATED("io.custops.profile.ProfileUpdated.v1", Topics.PROFILE),
    CONSENT_CHANGED("io.custops.profile.ConsentChanged.v1", Topics.PROFILE),
    TAGS_CHANGED("io.custops.profile.TagsChanged.v1", Topics.PROFILE),
    PROFILE_ERASED("io.custops.profile.ProfileErased.v1", Topics.PROFILE),
    PROFILES_MERGED("io.custops.profile.ProfilesMerged.v1", Topics.PROFILE),
    PROFILE_SPLIT("io.custops.profile.ProfileSplit.v1", Topics.PROFILE),
    ORDER_PLACED("io.custops.activity.OrderPlaced.v1", Topics.ACTIVITY),
    ORDER_REFUNDED("io.custops.activity.OrderRefunded.v1", Topics.ACTIVITY),
    INTERACTION_RECORDED("io.custops.activity.InteractionRecorded.v1", Topics.ACTIVITY),
    FEEDBACK_SUBMITTED("io.custops.activity.FeedbackSubmitted.v1", Topics.ACTIVITY),
    COMPLAINT_RESOLVED("io.custops.activity.ComplaintResolved.v1", Topics.ACTIVITY),
    LIFECYCLE_STAGE_CHANGED("io.custops.segmentation.LifecycleStageChanged.v1", Topics.SEGMENTATION),
    SCORES_UPDATED("io.custops.segmentation.ScoresUpdated.v1", Topics.SEGMENTATION),
    TIER_CHANGED("io.custops.segmentation.TierChanged.v1", Topics.SEGMENTATION),
    CHURN_RISK_RAISED("io.custops.segmentation.ChurnRiskRaised.v1", Topics.SEGMENTATION),
    SEGMENT_ENTERED("io.custops.segmentation.SegmentEntered.v1", Topics.SEGMENTATION),
    SEGMENT_EXITED("io.custops.segmentation.SegmentExited.v1", Topics.SEGMENTATION),
    MESSAGE_SENT("io.custops.campaign.MessageSent.v1", Topics.CAMPAIGN),
    MESSAGE_FAILED("io.custops.campaign.MessageFailed.v1", Topics.CAMPAIGN),
    MESSAGE_SUPPRESSED("io.custops.campaign.MessageSuppressed.v1", Topics.CAMPAIGN),
    MESSAGE_OPENED("io.custops.campaign.MessageOpened.v1", Topics.CAMPAIGN),
    MESSAGE_CLICKED("io.custops.campaign.MessageClicked.v1", Topics.CAMPAIGN),
    UNSUBSCRIBED("io.custops.campaign.Unsubscribed.v1", Topics.CAMPAIGN),
    CONVERTED("io.custops.campaign.Converted.v1", Topics.CAMPAIGN),
    COUPON_ISSUED("io.custops.campaign.CouponIssued.v1", Topics.CAMPAIGN),
    COUPON_REDEEMED("io.custops.campaign.CouponRedeemed.v1", Topics.CAMPAIGN),
    VARIANT_ASSIGNED("io.custops.campaign.VariantAssigned.v1", Topics.CAMPAIGN),
    MESSAGE_DELIVERED("io.custops.campaign.MessageDelivered.v1", Topics.CAMPAIGN),
    EXPERIMENT_CONCLUDED("io.custops.evaluation.ExperimentConcluded.v1", Topics.EVALUATION),
    KPI_ALERT_RAISED("io.custops.evaluation.KpiAlertRaised.v1", Topics.EVALUATION),
    REPORT_PUBLISHED("io.custops.evaluation.ReportPublished.v1", Topics.EVALUATION),
    MEMBER_JOINED("io.custops.community.MemberJoined.v1", Topics.COMMUNITY),
    POST_PUBLISHED("io.custops.community.PostPublished.v1", Topics.COMMUNITY),
    ACTIVITY_CHECKED_IN("io.custops.community.ActivityCheckedIn.v1", Topics.COMMUNITY),
    CHALLENGE_COMPLETED("io.custops.community.ChallengeCompleted.v1", Topics.COMMUNITY),
    POINTS_EARNED("io.custops.community.PointsEarned.v1", Topics.COMMUNITY),
    POINTS_REDEEMED("io.custops.community.PointsRedeemed.v1", Topics.COMMUNITY),
    POINTS_EXPIRING("io.custops.community.PointsExpiring.v1", Topics.COMMUNITY),
    POINTS_EXPIRED("io.custops.community.PointsExpired.v1", Topics.COMMUNITY),
    POINTS_REVERSED("io.custops.community.PointsReversed.v1", Topics.COMMUNITY),
    LOYALTY_TIER_CHANGED("io.custops.community.LoyaltyTierChanged.v1", Topics.COMMUNITY),
    REFERRAL_COMPLETED("io.custops.community.ReferralCompleted.v1", Topics.COMMUNITY);

    private final String type;
    private final String topic;

    EventType(String type, String topic) {
        this.type = type;
        this.topic = topic;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    public String topic() {
        return topic;
    }

    /** Classpath location of the JSON Schema for this type's {@code data}. */
    public String schemaResource() {
        return "schemas/" + type + ".json";
    }

    public static Optional<EventType> fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }
}
