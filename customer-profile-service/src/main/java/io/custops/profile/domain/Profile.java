package io.custops.profile.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The unified customer profile; its id is the customer id every other service uses. */
@Entity
@Table(name = "profile")
public class Profile {
    public static final String STATUS_REGISTERED = "registered";
    public static final String STATUS_PROSPECT = "prospect";

    @Id
    public UUID id;

    @Version
    public long version;

    /** {@code registered}, or {@code prospect} when identity resolution created it from activity. */
    @Column(nullable = false)
    public String status = STATUS_REGISTERED;

    @Column(nullable = false)
    public String source;

    @Column(name = "registration_channel")
    public String registrationChannel;

    @Column(name = "first_name")
    public String firstName;

    @Column(name = "last_name")
    public String lastName;

    public String locale;

    public String region;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
