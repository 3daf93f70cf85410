-- Standard attributes, typed custom attributes and the completeness score.
ALTER TABLE profile
    ADD COLUMN gender         TEXT,
    ADD COLUMN birthday       DATE,
    ADD COLUMN time_zone      TEXT,
    -- JSON arrays kept as text: never queried inside, and Hibernate Reactive maps only JSON objects natively
    ADD COLUMN source_systems TEXT         NOT NULL DEFAULT '[]',
    ADD COLUMN addresses      TEXT         NOT NULL DEFAULT '[]',
    ADD COLUMN attributes     JSONB        NOT NULL DEFAULT '{}',
    ADD COLUMN completeness   NUMERIC(5, 4) NOT NULL DEFAULT 0;
UPDATE profile SET source_systems = jsonb_build_array(source)::text;
CREATE INDEX profile_updated_at ON profile (updated_at, id);
CREATE INDEX profile_attributes ON profile USING GIN (attributes jsonb_path_ops);

-- The declared custom attributes: anything else is refused.
CREATE TABLE attribute_definition (
    name        TEXT PRIMARY KEY,
    type        TEXT        NOT NULL,
    enum_values TEXT,
    description TEXT,
    pii         BOOLEAN     NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
