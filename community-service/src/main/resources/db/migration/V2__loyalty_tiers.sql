-- Loyalty tiers: a tier set ranks its tiers by a threshold on points earned or money spent over a rolling window.
-- A member is upgraded at once; one found below their tier is downgraded at the end of that period plus the grace
-- period, unless they qualify again by then.
CREATE TABLE tier_set (
    id          UUID PRIMARY KEY,
    name        TEXT        NOT NULL,
    basis       TEXT        NOT NULL CHECK (basis IN ('points', 'spend')),
    currency    TEXT,
    window_days INTEGER     NOT NULL CHECK (window_days > 0),
    period      TEXT        NOT NULL CHECK (period IN ('month', 'quarter', 'year')),
    grace_days  INTEGER     NOT NULL DEFAULT 0 CHECK (grace_days >= 0),
    active      BOOLEAN     NOT NULL DEFAULT true,
    version     INTEGER     NOT NULL DEFAULT 1,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX tier_set_name ON tier_set (lower(name));

CREATE TABLE loyalty_tier (
    id          UUID PRIMARY KEY,
    tier_set_id UUID           NOT NULL REFERENCES tier_set (id) ON DELETE CASCADE,
    name        TEXT           NOT NULL,
    rank        INTEGER        NOT NULL,
    threshold   NUMERIC(18, 4) NOT NULL CHECK (threshold >= 0),
    benefits    JSONB          NOT NULL DEFAULT '[]',
    UNIQUE (tier_set_id, rank)
);
CREATE UNIQUE INDEX loyalty_tier_name ON loyalty_tier (tier_set_id, lower(name));

CREATE TABLE member_tier (
    customer_id  UUID        NOT NULL,
    tier_set_id  UUID        NOT NULL REFERENCES tier_set (id) ON DELETE CASCADE,
    tier_id      UUID        NOT NULL REFERENCES loyalty_tier (id) ON DELETE CASCADE,
    since        TIMESTAMPTZ NOT NULL,
    downgrade_at TIMESTAMPTZ,
    PRIMARY KEY (customer_id, tier_set_id)
);
CREATE INDEX member_tier_downgrade ON member_tier (downgrade_at) WHERE downgrade_at IS NOT NULL;
CREATE INDEX order_points_placed ON order_points (customer_id, placed_at);
