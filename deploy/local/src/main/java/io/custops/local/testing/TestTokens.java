package io.custops.local.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Signed access tokens for tests, shaped like Keycloak's (realm roles in {@code realm_access.roles}, audience
 * {@code custops-api}), and the broken variants a service must refuse.
 */
public final class TestTokens {
    public static final String AUDIENCE = "custops-api";

    private String subject = "test-user";
    private List<String> roles = List.of();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private String issuer;
    private String audience = AUDIENCE;
    private Duration expiresIn = Duration.ofMinutes(5);
    private boolean foreignKey;

    private TestTokens() {
        this.issuer = System.getProperty(OidcTestServer.ISSUER_PROPERTY);
    }

    /** A token for a user with these realm roles. */
    public static TestTokens withRoles(String... roles) {
        TestTokens tokens = new TestTokens();
        tokens.roles = List.of(roles);
        tokens.subject = roles.length == 0 ? "no-roles" : roles[0] + "-user";
        return tokens;
    }

    /** A member token bound to {@code customerId}. */
    public static String member(UUID customerId) {
        return withRoles("member").claim("customer_id", customerId.toString()).subject("member-" + customerId).sign();
    }

    public static String bearer(String... roles) {
        return withRoles(roles).sign();
    }

    public TestTokens subject(String subject) {
        this.subject = subject;
        return this;
    }

    public TestTokens claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    public TestTokens issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    public TestTokens audience(String audience) {
        this.audience = audience;
        return this;
    }

    /** Negative values make an expired token. */
    public TestTokens expiresIn(Duration expiresIn) {
        this.expiresIn = expiresIn;
        return this;
    }

    /** Signs with a key the provider never published: a forged token. */
    public TestTokens signedWithForeignKey() {
        this.foreignKey = true;
        return this;
    }

    public String sign() {
        if (issuer == null) {
            throw new IllegalStateException("the OIDC test server has not started in this JVM");
        }
        try {
            JwtClaims jwt = new JwtClaims();
            jwt.setIssuer(issuer);
            jwt.setAudience(audience);
            jwt.setSubject(subject);
            jwt.setClaim("preferred_username", subject);
            jwt.setClaim("azp", "custops-console");
            jwt.setClaim("typ", "Bearer");
            jwt.setIssuedAt(NumericDate.fromMilliseconds(System.currentTimeMillis() - Math.max(0, -expiresIn.toMillis()) - 60_000));
            jwt.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + expiresIn.toMillis()));
            jwt.setGeneratedJwtId();
            jwt.setClaim("realm_access", Map.of("roles", roles));
            claims.forEach(jwt::setClaim);
            RsaJsonWebKey key = foreignKey ? foreign() : (RsaJsonWebKey) JsonWebKey.Factory
                    .newJwk(System.getProperty(OidcTestServer.KEY_PROPERTY));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(jwt.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue("custops-test-key");
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey foreign() throws JoseException {
        return RsaJwkGenerator.generateJwk(2048);
    }
}
