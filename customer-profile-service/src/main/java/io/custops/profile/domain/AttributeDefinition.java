package io.custops.profile.domain;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A declared custom attribute: its name, value type and whether its values are PII. */
@Entity
@Table(name = "attribute_definition")
public class AttributeDefinition {
    @Id
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AttributeType type;

    @Convert(converter = JsonColumns.Strings.class)
    @Column(name = "enum_values")
    public List<String> enumValues;

    public String description;

    @Column(nullable = false)
    public boolean pii;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
