package io.custops.platform.security;

import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.custops.platform.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling: roles and, for a member, the customer id their token is bound to. Member-facing code asks
 * {@link #requireAccessTo(UUID)} so that a member can only ever reach their own customer record.
 */
@RequestScoped
public class Caller {
    public static final String CUSTOMER_ID_CLAIM = "customer_id";

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public Caller(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    public String name() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    /** The customer a member token is bound to, if it carries a well-formed {@code customer_id} claim. */
    public Optional<UUID> customerId() {
        Object claim = token == null ? null : token.getClaim(CUSTOMER_ID_CLAIM);
        if (claim == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(claim.toString().replace("\"", "")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The customer a member's token is bound to; 403 when the token carries none. */
    public UUID requireOwnCustomerId() {
        return customerId().orElseThrow(() -> new ProblemException(403, "Forbidden",
                "This token is not bound to a customer (no customer_id claim)."));
    }

    /**
     * Staff roles may reach any customer; a caller who is only a member may reach only the customer in their
     * token. Another customer answers 404, so a member cannot even learn that the id exists.
     */
    public void requireAccessTo(UUID customerId) {
        boolean staff = identity.getRoles().stream().anyMatch(role -> !Roles.MEMBER.equals(role));
        if (staff) {
            return;
        }
        if (customerId().filter(customerId::equals).isEmpty()) {
            throw ProblemException.notFound("No customer " + customerId + ".");
        }
    }
}
