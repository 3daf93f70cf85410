package io.custops.community.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.community.activities.Activities;
import io.custops.community.activities.Challenges;
import io.custops.community.loyalty.RetiredCustomers;
import io.custops.community.rest.dto.ActivityDtos.ActivityRequest;
import io.custops.community.rest.dto.ActivityDtos.ActivityView;
import io.custops.community.rest.dto.ActivityDtos.Attendee;
import io.custops.community.rest.dto.ActivityDtos.ChallengeProgress;
import io.custops.community.rest.dto.ActivityDtos.ChallengeRequest;
import io.custops.community.rest.dto.ActivityDtos.ChallengeView;
import io.custops.community.rest.dto.ActivityDtos.CheckInCode;
import io.custops.community.rest.dto.ActivityDtos.DailyCheckIn;
import io.custops.community.rest.dto.ActivityDtos.RegistrationView;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Activities (registration, waitlist, check-in, attendance), daily check-ins and challenges. */
@Path("/api/activities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Activities")
@SecurityRequirement(name = "SecurityScheme")
public class ActivityResource {
    private final Activities activities;
    private final Challenges challenges;
    private final Caller caller;

    public ActivityResource(Activities activities, Challenges challenges, Caller caller) {
        this.activities = activities;
        this.challenges = challenges;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Schedule an activity", description = "Online or offline (with a location); salon, expert-talk, workshop or other; "
            + "capacity; optionally for one community's members. The answer carries the check-in code to show at the venue.")
    public Uni<Response> create(ActivityRequest request) {
        return Panache.withTransaction(() -> activities.create(request, caller.name()))
                .map(a -> Response.created(URI.create("/api/activities/" + a.id())).entity(a).build());
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    public Uni<ActivityView> cancel(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> activities.cancel(id));
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    @Operation(summary = "Upcoming activities", description = "Not yet ended, soonest first; optionally of one community.")
    public Uni<List<ActivityView>> upcoming(@QueryParam("communityId") UUID community) {
        return Panache.withSession(() -> activities.upcoming(community, staff()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<ActivityView> get(@PathParam("id") UUID id) {
        return Panache.withSession(() -> activities.get(id, staff()));
    }

    @POST
    @Path("/{id}/registrations")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Register", description = "A seat while there are any, else a place in the waitlist (first come, first served).")
    public Uni<Response> register(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> me().flatMap(customer -> activities.register(id, customer)))
                .map(r -> Response.status(201).entity(r).build());
    }

    @DELETE
    @Path("/{id}/registrations/me")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Cancel my registration", description = "A freed seat goes to the first in the waitlist.")
    public Uni<RegistrationView> unregister(@PathParam("id") UUID id) {
        return Panache.withTransaction(() -> me().flatMap(customer -> activities.unregister(id, customer)));
    }

    @POST
    @Path("/{id}/check-in")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Check in with the code", description = "Registered members, from an hour before the start to the end. "
            + "Publishes ActivityCheckedIn.")
    public Uni<RegistrationView> checkIn(@PathParam("id") UUID id, CheckInCode code) {
        return Panache.withTransaction(() -> me().flatMap(customer -> activities.checkInWithCode(id, customer, code == null ? null : code.code())));
    }

    @POST
    @Path("/{id}/attendance")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Check a customer in (staff)", description = "A registered or waitlisted customer.")
    public Uni<RegistrationView> attend(@PathParam("id") UUID id, Attendee attendee) {
        if (attendee == null || attendee.customerId() == null) {
            throw ProblemException.badRequest("The customer is required.", List.of(new Problem.FieldError("customerId", "is required")));
        }
        return Panache.withTransaction(() -> activities.checkInByStaff(id, attendee.customerId()));
    }

    @GET
    @Path("/{id}/attendance")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST })
    public Uni<List<RegistrationView>> attendance(@PathParam("id") UUID id) {
        return Panache.withSession(() -> activities.get(id, true).flatMap(a -> activities.attendance(id)));
    }

    @GET
    @Path("/me")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My activities", description = "My registrations, latest activity first.")
    public Uni<List<RegistrationView>> mine() {
        return Panache.withSession(() -> me().flatMap(activities::ofCustomer));
    }

    @POST
    @Path("/check-ins")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "Check in for today", description = "Once a day (UTC); consecutive days make a streak for streak challenges.")
    public Uni<DailyCheckIn> daily() {
        return Panache.withTransaction(() -> me().flatMap(challenges::checkIn));
    }

    @POST
    @Path("/challenges")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER })
    @Operation(summary = "Create a challenge", description = "daily-check-in-streak, posts-in-period (per week or month) or activities-attended, "
            + "with a target, an optional community and window, and bonus points on top of the challenge earn rules.")
    public Uni<Response> createChallenge(ChallengeRequest request) {
        return Panache.withTransaction(() -> challenges.create(request, caller.name()))
                .map(c -> Response.created(URI.create("/api/activities/challenges/" + c.id())).entity(c).build());
    }

    @GET
    @Path("/challenges")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<List<ChallengeView>> challenges() {
        return Panache.withSession(challenges::list);
    }

    @GET
    @Path("/challenges/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.COMMUNITY_MANAGER, Roles.ANALYST, Roles.MEMBER })
    public Uni<ChallengeView> challenge(@PathParam("id") UUID id) {
        return Panache.withSession(() -> challenges.get(id));
    }

    @GET
    @Path("/me/challenges")
    @RolesAllowed(Roles.MEMBER)
    @Operation(summary = "My challenges", description = "My progress in every challenge running now.")
    public Uni<List<ChallengeProgress>> myChallenges() {
        return Panache.withSession(() -> me().flatMap(challenges::progress));
    }

    private boolean staff() {
        return caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.COMMUNITY_MANAGER);
    }

    private Uni<UUID> me() {
        return RetiredCustomers.requireLive(caller.requireOwnCustomerId());
    }
}
