package io.custops.segmentation.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A page of members in customer id order; pass {@code next} as {@code after} for the following page. */
public record MemberPage(List<Member> items, UUID next) {

    public record Member(UUID customerId, Instant enteredAt) {
    }
}
