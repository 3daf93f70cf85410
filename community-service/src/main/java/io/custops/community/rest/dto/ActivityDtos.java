package io.custops.community.rest.dto;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Activities, registrations, check-ins and challenges as the API shows them. */
public final class ActivityDtos {
    private ActivityDtos() {
    }

    /**
     * An activity: format online or offline; kind salon, expert-talk, workshop or other; an optional community whose
     * active members alone may register; registration closes at {@code registrationClosesAt} (the start by default).
     */
    public record ActivityRequest(UUID communityId, String title, String description, String format, String kind, String location,
            Instant startsAt, Instant endsAt, Integer capacity, Instant registrationClosesAt) {
    }

    /** An activity with its counts; {@code checkInCode} is shown to staff only. */
    public record ActivityView(UUID id, UUID communityId, String title, String description, String format, String kind, String location,
            Instant startsAt, Instant endsAt, int capacity, Instant registrationClosesAt, String status, long registered, long waitlisted,
            long attended, String checkInCode) {
    }

    /** A registration: registered, waitlisted (with its place in the queue), cancelled or attended. */
    public record RegistrationView(UUID activityId, UUID customerId, String status, Integer waitlistPosition, Instant registeredAt,
            Instant checkedInAt, String checkInMethod) {
    }

    public record CheckInCode(String code) {
    }

    public record Attendee(UUID customerId) {
    }

    /** A member's daily check-in and their streak. */
    public record DailyCheckIn(UUID customerId, LocalDate day, int streak, int longestStreak, boolean alreadyCheckedIn) {
    }

    /**
     * A challenge: daily-check-in-streak (target days in a row), posts-in-period (target posts in each week or month)
     * or activities-attended (target activities); optionally within a community and a time window; completing it earns
     * the challenge earn rules' points plus {@code bonusPoints}.
     */
    public record ChallengeRequest(UUID communityId, String name, String kind, Integer target, String period, Instant startsAt,
            Instant endsAt, Integer bonusPoints) {
    }

    public record ChallengeView(UUID id, UUID communityId, String name, String kind, int target, String period, Instant startsAt,
            Instant endsAt, int bonusPoints, boolean active, long completions) {
    }

    /** Where a member stands in a challenge (for the current period of a per-period one). */
    public record ChallengeProgress(UUID challengeId, String name, String kind, int target, int progress, boolean completed,
            Instant completedAt) {
    }
}
