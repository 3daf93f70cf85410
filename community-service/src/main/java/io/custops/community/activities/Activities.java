package io.custops.community.activities;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.custops.community.communities.Communities;
import io.custops.community.loyalty.EarnRules;
import io.custops.community.loyalty.Ledger;
import io.custops.community.rest.dto.ActivityDtos.ActivityRequest;
import io.custops.community.rest.dto.ActivityDtos.ActivityView;
import io.custops.community.rest.dto.ActivityDtos.RegistrationView;
import io.custops.events.EventType;
import io.custops.events.payload.ActivityCheckedIn;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Activities with capacity: a registration takes a seat or joins the waitlist (under the activity's row lock, so
 * seats are never oversold); a cancellation hands the seat to the first in the waitlist. Registered members check in
 * with the activity's code from an hour before the start to the end, or staff check them in; a check-in is attendance
 * (ActivityCheckedIn), earns the activity_check_in engagement points and counts toward challenges.
 */
@ApplicationScoped
public class Activities {
    private static final Set<String> FORMATS = Set.of("online", "offline");
    private static final Set<String> KINDS = Set.of("salon", "expert-talk", "workshop", "other");
    private static final Duration CHECK_IN_OPENS = Duration.ofHours(1);
    private static final char[] CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "a.id, a.community_id, a.title, a.description, a.format, a.kind, a.location, a.starts_at, a.ends_at,"
            + " a.capacity, a.registration_closes_at, a.status,"
            + " (SELECT count(*) FROM activity_registration r WHERE r.activity_id = a.id AND r.status IN ('registered', 'attended')),"
            + " (SELECT count(*) FROM activity_registration r WHERE r.activity_id = a.id AND r.status = 'waitlisted'),"
            + " (SELECT count(*) FROM activity_registration r WHERE r.activity_id = a.id AND r.status = 'attended'), a.check_in_code";
    private static final String REGISTRATION = """
            SELECT r.activity_id, r.customer_id, r.status,
                   CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*) FROM activity_registration w WHERE w.activity_id = r.activity_id
                        AND w.status = 'waitlisted' AND (w.registered_at, w.customer_id) <= (r.registered_at, r.customer_id)) END,
                   r.registered_at, r.checked_in_at, r.check_in_method
            FROM activity_registration r""";

    private final Communities communities;
    private final EarnRules rules;
    private final Challenges challenges;
    private final EventOutbox outbox;

    public Activities(Communities communities, EarnRules rules, Challenges challenges, EventOutbox outbox) {
        this.communities = communities;
        this.rules = rules;
        this.challenges = challenges;
        this.outbox = outbox;
    }

    public Uni<ActivityView> create(ActivityRequest r, String actor) {
        validate(r);
        UUID id = UUID.randomUUID();
        Uni<Void> community = r.communityId() == null ? Uni.createFrom().voidItem() : communities.live(r.communityId()).replaceWithVoid();
        return community.flatMap(x -> NativeSql.execute("""
                INSERT INTO activity (id, community_id, title, description, format, kind, location, starts_at, ends_at, capacity,
                    registration_closes_at, check_in_code, status, created_by, created_at)
                VALUES (:id, :community, :title, :description, :format, :kind, :location, :starts, :ends, :capacity, :closes, :code, 'scheduled',
                    :actor, now())""", NativeSql.params("id", id, "community", r.communityId(), "title", r.title().trim(), "description",
                r.description(), "format", r.format(), "kind", r.kind(), "location", r.location(), "starts", NativeSql.utc(r.startsAt()),
                "ends", NativeSql.utc(r.endsAt()), "capacity", r.capacity(), "closes", NativeSql.utc(r.registrationClosesAt() == null
                        ? r.startsAt() : r.registrationClosesAt()), "code", code(), "actor", actor)))
                .flatMap(x -> get(id, true));
    }

    public Uni<ActivityView> cancel(UUID id) {
        return NativeSql.execute("UPDATE activity SET status = 'cancelled' WHERE id = :id AND status = 'scheduled'", Map.of("id", id))
                .flatMap(x -> get(id, true));
    }

    public Uni<ActivityView> get(UUID id, boolean staff) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM activity a WHERE a.id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(r -> view(r, staff))
                        .orElseThrow(() -> ProblemException.notFound("No activity " + id + ".")));
    }

    /** Activities that have not ended, soonest first (optionally of one community). */
    public Uni<List<ActivityView>> upcoming(UUID community, boolean staff) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM activity a WHERE a.ends_at > now() AND (CAST(:community AS uuid) IS NULL"
                + " OR a.community_id = :community) ORDER BY a.starts_at, a.id LIMIT 500", Object[].class, NativeSql.params("community", community))
                .map(rows -> rows.stream().map(r -> view(r, staff)).toList());
    }

    /** Takes a seat, or a place in the waitlist when the activity is full; registering again changes nothing. */
    public Uni<RegistrationView> register(UUID activity, UUID customer) {
        return locked(activity).flatMap(a -> {
            if (!"scheduled".equals(a.status())) {
                throw ProblemException.conflict("The activity is cancelled.");
            }
            if (!Instant.now().isBefore(a.registrationClosesAt())) {
                throw ProblemException.conflict("Registration closed at " + a.registrationClosesAt() + ".");
            }
            Uni<Void> member = a.communityId() == null ? Uni.createFrom().voidItem()
                    : communities.statusOf(a.communityId(), customer).map(status -> {
                        if (!"active".equals(status)) {
                            throw new ProblemException(403, "Forbidden", "This activity is for members of its community.");
                        }
                        return null;
                    });
            return member.flatMap(x -> NativeSql.execute("""
                    INSERT INTO activity_registration (activity_id, customer_id, status, registered_at)
                    VALUES (:activity, :customer, CASE WHEN CAST(:taken AS bigint) < CAST(:capacity AS bigint) THEN 'registered' ELSE 'waitlisted' END, now())
                    ON CONFLICT (activity_id, customer_id) DO UPDATE SET status = excluded.status, registered_at = excluded.registered_at,
                        checked_in_at = NULL, check_in_method = NULL
                    WHERE activity_registration.status = 'cancelled'""",
                    Map.of("activity", activity, "customer", customer, "taken", a.registered(), "capacity", a.capacity())))
                    .flatMap(x -> registration(activity, customer));
        });
    }

    /** Cancels the member's registration; a freed seat goes to the first of the waitlist. */
    public Uni<RegistrationView> unregister(UUID activity, UUID customer) {
        return locked(activity).flatMap(a -> registration(activity, customer)).flatMap(r -> {
            if (!"registered".equals(r.status()) && !"waitlisted".equals(r.status())) {
                throw ProblemException.conflict("There is no registration to cancel: it is " + r.status() + ".");
            }
            Map<String, Object> ids = Map.of("activity", activity, "customer", customer);
            return NativeSql.execute("UPDATE activity_registration SET status = 'cancelled' WHERE activity_id = :activity AND customer_id = :customer",
                    ids)
                    .flatMap(x -> !"registered".equals(r.status()) ? Uni.createFrom().item(0) : NativeSql.execute("""
                            UPDATE activity_registration SET status = 'registered' WHERE (activity_id, customer_id) IN (
                                SELECT activity_id, customer_id FROM activity_registration WHERE activity_id = :activity AND status = 'waitlisted'
                                ORDER BY registered_at, customer_id LIMIT 1)""", Map.of("activity", activity)))
                    .flatMap(x -> registration(activity, customer));
        });
    }

    /** The member checks in with the activity's code (from an hour before the start to the end). */
    public Uni<RegistrationView> checkInWithCode(UUID activity, UUID customer, String code) {
        return get(activity, true).flatMap(a -> {
            if (code == null || !a.checkInCode().equalsIgnoreCase(code.trim())) {
                throw ProblemException.badRequest("The check-in code is wrong.", List.of(new Problem.FieldError("code", "does not match")));
            }
            Instant now = Instant.now();
            if (now.isBefore(a.startsAt().minus(CHECK_IN_OPENS)) || !now.isBefore(a.endsAt())) {
                throw ProblemException.conflict("Check-in is open from an hour before the start to the end.");
            }
            return attend(a, customer, "code", Set.of("registered"));
        });
    }

    /** Staff check a registered or waitlisted customer in (a waitlisted one who came anyway). */
    public Uni<RegistrationView> checkInByStaff(UUID activity, UUID customer) {
        return get(activity, true).flatMap(a -> attend(a, customer, "staff", Set.of("registered", "waitlisted")));
    }

    private Uni<RegistrationView> attend(ActivityView a, UUID customer, String method, Set<String> from) {
        Instant now = Instant.now();
        return registration(a.id(), customer).flatMap(r -> {
            if ("attended".equals(r.status())) {
                return Uni.createFrom().item(r);
            }
            if (!from.contains(r.status())) {
                throw ProblemException.conflict("Only a registered customer can check in; this one is " + r.status() + ".");
            }
            return Ledger.lock(customer)
                    .flatMap(x -> NativeSql.execute("""
                            UPDATE activity_registration SET status = 'attended', checked_in_at = :now, check_in_method = :method
                            WHERE activity_id = :activity AND customer_id = :customer AND status <> 'attended'""",
                            NativeSql.params("now", NativeSql.utc(now), "method", method, "activity", a.id(), "customer", customer)))
                    .flatMap(x -> outbox.record(EventType.ACTIVITY_CHECKED_IN, customer, new ActivityCheckedIn(customer, a.id(), a.format(), method, now)))
                    .flatMap(x -> rules.engage(customer, "activity_check_in", a.id().toString(), now))
                    .flatMap(x -> challenges.evaluate(customer, "activities-attended"))
                    .flatMap(x -> registration(a.id(), customer));
        });
    }

    public Uni<RegistrationView> registration(UUID activity, UUID customer) {
        return NativeSql.list(REGISTRATION + " WHERE r.activity_id = :activity AND r.customer_id = :customer", Object[].class,
                Map.of("activity", activity, "customer", customer))
                .map(rows -> rows.stream().findFirst().map(Activities::registrationView)
                        .orElseThrow(() -> ProblemException.notFound("No registration of " + customer + " for activity " + activity + ".")));
    }

    /** Everyone registered, waitlisted, cancelled or attended, in order of registration. */
    public Uni<List<RegistrationView>> attendance(UUID activity) {
        return NativeSql.list(REGISTRATION + " WHERE r.activity_id = :activity ORDER BY r.registered_at, r.customer_id LIMIT 10000",
                Object[].class, Map.of("activity", activity)).map(rows -> rows.stream().map(Activities::registrationView).toList());
    }

    /** The member's registrations, latest activity first. */
    public Uni<List<RegistrationView>> ofCustomer(UUID customer) {
        return NativeSql.list(REGISTRATION + " JOIN activity a ON a.id = r.activity_id WHERE r.customer_id = :customer"
                + " ORDER BY a.starts_at DESC LIMIT 500", Object[].class, Map.of("customer", customer))
                .map(rows -> rows.stream().map(Activities::registrationView).toList());
    }

    private Uni<ActivityView> locked(UUID activity) {
        return NativeSql.list("SELECT id FROM activity WHERE id = :id FOR UPDATE", UUID.class, Map.of("id", activity))
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("No activity " + activity + ".");
                    }
                    return get(activity, true);
                });
    }

    private static void validate(ActivityRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("An activity is required.", List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.title() == null || r.title().isBlank() || r.title().length() > 300) {
            errors.add(new Problem.FieldError("title", "is required, at most 300 characters"));
        }
        if (r.format() == null || !FORMATS.contains(r.format())) {
            errors.add(new Problem.FieldError("format", "online or offline"));
        }
        if (r.kind() == null || !KINDS.contains(r.kind())) {
            errors.add(new Problem.FieldError("kind", "one of " + KINDS));
        }
        if ("offline".equals(r.format()) && (r.location() == null || r.location().isBlank())) {
            errors.add(new Problem.FieldError("location", "is required for an offline activity"));
        }
        if (r.startsAt() == null || r.endsAt() == null || !r.endsAt().isAfter(r.startsAt())) {
            errors.add(new Problem.FieldError("endsAt", "startsAt and endsAt are required, endsAt after startsAt"));
        }
        if (r.capacity() == null || r.capacity() < 1 || r.capacity() > 100_000) {
            errors.add(new Problem.FieldError("capacity", "1 to 100000"));
        }
        if (r.registrationClosesAt() != null && r.endsAt() != null && r.registrationClosesAt().isAfter(r.endsAt())) {
            errors.add(new Problem.FieldError("registrationClosesAt", "not after endsAt"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The activity has invalid fields.", errors);
        }
    }

    private static String code() {
        char[] code = new char[6];
        for (int i = 0; i < code.length; i++) {
            code[i] = CODE[RANDOM.nextInt(CODE.length)];
        }
        return new String(code);
    }

    private static ActivityView view(Object[] r, boolean staff) {
        return new ActivityView((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6],
                NativeSql.instant(r[7]), NativeSql.instant(r[8]), ((Number) r[9]).intValue(), NativeSql.instant(r[10]), (String) r[11],
                Ledger.n(r[12]), Ledger.n(r[13]), Ledger.n(r[14]), staff ? (String) r[15] : null);
    }

    private static RegistrationView registrationView(Object[] r) {
        return new RegistrationView((UUID) r[0], (UUID) r[1], (String) r[2], r[3] == null ? null : ((Number) r[3]).intValue(),
                NativeSql.instant(r[4]), NativeSql.instant(r[5]), (String) r[6]);
    }
}
