package io.custops.events;

import java.util.List;

/** The Kafka topics of DESIGN.md §3: one per producing domain. Dead letters go to {@code <topic>.dlq}. */
public final class Topics {
    public static final String PROFILE = "custops.profile.v1";
    public static final String ACTIVITY = "custops.activity.v1";
    public static final String SEGMENTATION = "custops.segmentation.v1";
    public static final String CAMPAIGN = "custops.campaign.v1";
    public static final String COMMUNITY = "custops.community.v1";
    public static final String EVALUATION = "custops.evaluation.v1";

    public static final List<String> ALL = List.of(PROFILE, ACTIVITY, SEGMENTATION, CAMPAIGN, COMMUNITY, EVALUATION);

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
