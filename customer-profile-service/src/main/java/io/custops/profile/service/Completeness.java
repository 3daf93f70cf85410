package io.custops.profile.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;

import io.custops.profile.domain.AttributeDefinition;
import io.custops.profile.domain.IdentifierType;
import io.custops.profile.domain.Profile;
import io.custops.profile.domain.ProfileIdentifier;

/**
 * The completeness score: the share of the declared schema that a profile fills. The schema is the ten
 * standard attributes (name, surname, gender, birthday, locale, time zone, region, e-mail, phone, address)
 * plus every declared custom attribute.
 */
public final class Completeness {
    public static final List<String> STANDARD = List.of("firstName", "lastName", "gender", "birthday", "locale",
            "timeZone", "region", "email", "phone", "address");

    private Completeness() {
    }

    public static BigDecimal of(Profile p, Collection<ProfileIdentifier> identifiers, Collection<AttributeDefinition> custom) {
        int filled = count(p.firstName) + count(p.lastName) + count(p.gender) + (p.birthday == null ? 0 : 1)
                + count(p.locale) + count(p.timeZone) + count(p.region)
                + (identifiers.stream().anyMatch(i -> i.type == IdentifierType.EMAIL) ? 1 : 0)
                + (identifiers.stream().anyMatch(i -> i.type == IdentifierType.PHONE) ? 1 : 0)
                + (p.addresses == null || p.addresses.isEmpty() ? 0 : 1);
        for (AttributeDefinition definition : custom) {
            if (p.attributes != null && p.attributes.get(definition.name) != null) {
                filled++;
            }
        }
        int declared = STANDARD.size() + custom.size();
        return BigDecimal.valueOf(filled).divide(BigDecimal.valueOf(declared), 4, RoundingMode.HALF_UP);
    }

    private static int count(String value) {
        return value == null || value.isBlank() ? 0 : 1;
    }
}
