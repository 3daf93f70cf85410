package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.PostPublished.v1}: a member published a post in a community (the text stays
 * in community-service).
 */
public record PostPublished(UUID customerId, UUID communityId, UUID postId, UUID topicId, Instant publishedAt) {
}
