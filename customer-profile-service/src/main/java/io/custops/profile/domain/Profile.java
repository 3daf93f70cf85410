package io.custops.profile.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
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

    /** female, male, non_binary or undisclosed. */
    public String gender;

    public LocalDate birthday;

    /** IANA time zone, e.g. Asia/Shanghai: quiet hours and local-time sends use it. */
    @Column(name = "time_zone")
    public String timeZone;

    /** Every source system that contributed to this profile. */
    @Convert(converter = JsonColumns.Strings.class)
    @Column(name = "source_systems", nullable = false)
    public List<String> sourceSystems = new ArrayList<>();

    @Convert(converter = JsonColumns.Addresses.class)
    @Column(nullable = false)
    public List<Address> addresses = new ArrayList<>();

    /** Custom attributes, each declared in the attribute schema, with values of the declared type. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> attributes = new LinkedHashMap<>();

    /** Share of the declared schema (standard and custom attributes) that is filled, 0 to 1. */
    @Column(nullable = false)
    public BigDecimal completeness = BigDecimal.ZERO;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
