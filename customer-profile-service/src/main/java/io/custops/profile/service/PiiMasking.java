package io.custops.profile.service;

import io.custops.profile.domain.Address;
import io.custops.profile.domain.IdentifierType;

/** Masks PII for callers who may not read it unmasked (DESIGN.md §5). */
public final class PiiMasking {
    private PiiMasking() {
    }

    public static String name(String name) {
        return name == null || name.isEmpty() ? name : name.substring(0, 1) + "***";
    }

    /** Keeps what segments by place (city, region, country), hides the street and postal code. */
    public static Address address(Address a) {
        return new Address(a.type(), "***", a.line2() == null ? null : "***", a.city(), a.region(),
                a.postalCode() == null ? null : "***", a.country());
    }

    public static String identifier(IdentifierType type, String value) {
        return switch (type) {
            case EMAIL -> {
                int at = value.indexOf('@');
                yield value.charAt(0) + "***" + value.substring(at);
            }
            case PHONE -> value.substring(0, Math.min(3, value.length())) + "****"
                    + value.substring(Math.max(3, value.length() - 4));
            default -> value.length() <= 4 ? "****" : "****" + value.substring(value.length() - 4);
        };
    }
}
