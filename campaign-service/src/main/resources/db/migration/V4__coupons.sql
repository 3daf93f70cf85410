-- Coupon pools: codes generated at issuance (prefix + random) or uploaded in advance; a limit per customer, an
-- expiry (a fixed end and/or days after issuance) and the cost a redemption charges to a campaign's budget.
CREATE TABLE coupon_pool (
    id                 UUID PRIMARY KEY,
    name               TEXT        NOT NULL,
    kind               TEXT        NOT NULL CHECK (kind IN ('generated', 'uploaded')),
    prefix             TEXT        NOT NULL DEFAULT '',
    discount           TEXT        NOT NULL,
    per_customer_limit INTEGER     NOT NULL CHECK (per_customer_limit > 0),
    valid_days         INTEGER CHECK (valid_days > 0),
    expires_at         TIMESTAMPTZ,
    cost               NUMERIC(19, 4) NOT NULL DEFAULT 0,
    currency           CHAR(3)     NOT NULL DEFAULT 'EUR',
    status             TEXT        NOT NULL CHECK (status IN ('active', 'closed')),
    created_by         TEXT        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX coupon_pool_name ON coupon_pool (lower(name));

CREATE TABLE coupon (
    code        TEXT PRIMARY KEY,
    pool_id     UUID        NOT NULL REFERENCES coupon_pool (id),
    status      TEXT        NOT NULL CHECK (status IN ('available', 'issued', 'redeemed', 'expired')),
    customer_id UUID,
    source      TEXT,
    -- the same issuing step (a journey instance's coupon step, an API Idempotency-Key) issues one coupon
    issue_key   TEXT UNIQUE,
    issued_at   TIMESTAMPTZ,
    expires_at  TIMESTAMPTZ,
    redeemed_at TIMESTAMPTZ,
    order_id    TEXT
);
CREATE INDEX coupon_available ON coupon (pool_id) WHERE status = 'available';
CREATE INDEX coupon_customer ON coupon (customer_id, pool_id) WHERE customer_id IS NOT NULL;
CREATE INDEX coupon_expiring ON coupon (expires_at) WHERE status = 'issued' AND expires_at IS NOT NULL;
