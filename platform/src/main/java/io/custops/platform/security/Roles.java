package io.custops.platform.security;

/** The realm roles of DESIGN.md §5. */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String MARKETER = "marketer";
    public static final String ANALYST = "analyst";
    public static final String COMMUNITY_MANAGER = "community-manager";
    public static final String INTEGRATOR = "integrator";
    public static final String PII_READER = "pii-reader";
    public static final String MEMBER = "member";
    public static final String SERVICE = "service";

    private Roles() {
    }
}
