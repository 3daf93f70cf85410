-- Segments: rule segments (a definition in the closed JSON condition language, compiled to parameterised SQL) and
-- static segments (uploaded member lists). Membership is kept current from events and by the daily sweep.
CREATE TABLE segment (
    id            UUID PRIMARY KEY,
    name          TEXT        NOT NULL,
    description   TEXT,
    kind          TEXT        NOT NULL CHECK (kind IN ('rule', 'static')),
    definition    JSONB,
    version       INTEGER     NOT NULL DEFAULT 1,
    state         TEXT        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'archived')),
    members       BIGINT      NOT NULL DEFAULT 0,
    evaluated_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    TEXT        NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    updated_by    TEXT        NOT NULL
);
CREATE UNIQUE INDEX segment_name ON segment (lower(name)) WHERE state = 'active';

CREATE TABLE segment_member (
    segment_id  UUID        NOT NULL REFERENCES segment (id),
    customer_id UUID        NOT NULL,
    entered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX segment_member_customer ON segment_member (customer_id);

-- Birthday month and day (year 2000, so 29 February fits), from the profile events' birthdayMonthDay: for
-- "birthday within N days" segments and birthday journeys. The year of birth is never carried.
ALTER TABLE customer_score ADD COLUMN birthday DATE;

-- Rollups kept as counters before facts existed (V1) cannot be rebuilt from facts, and the next recompute from facts
-- would contradict them: they go. Rows from registrations alone carry nothing a refresh would change and stay.
DELETE FROM customer_score WHERE rollup_at IS NULL AND order_count > 0;
