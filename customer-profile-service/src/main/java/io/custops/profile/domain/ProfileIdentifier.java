package io.custops.profile.domain;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A normalised identifier (type, value) owned by one profile. */
@Entity
@Table(name = "profile_identifier")
@IdClass(ProfileIdentifier.Key.class)
public class ProfileIdentifier {
    @Id
    @Enumerated(EnumType.STRING)
    public IdentifierType type;

    @Id
    public String value;

    @Column(name = "customer_id", nullable = false)
    public UUID customerId;

    public static ProfileIdentifier of(IdentifierType type, String normalisedValue, UUID customerId) {
        ProfileIdentifier identifier = new ProfileIdentifier();
        identifier.type = type;
        identifier.value = normalisedValue;
        identifier.customerId = customerId;
        return identifier;
    }

    public static class Key implements Serializable {
        public IdentifierType type;
        public String value;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.type == type && Objects.equals(key.value, value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, value);
        }
    }
}
