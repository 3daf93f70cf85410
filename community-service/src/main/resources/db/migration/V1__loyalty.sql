-- The points ledger: append-only entries per customer; the balance is derived from them. Credits (earn, positive
-- adjust) are lots that debits (redeem, expire, reverse, negative adjust) consume first in, first out by expiry.
-- `remaining` (lots) and `unallocated` (debits no lot could cover: a debt later points pay) are kept in the same
-- transaction as the entries; points_allocation records which lot paid which debit.
CREATE TABLE points_entry (
    id           BIGSERIAL PRIMARY KEY,
    customer_id  UUID        NOT NULL,
    kind         TEXT        NOT NULL CHECK (kind IN ('earn', 'redeem', 'expire', 'adjust', 'reverse')),
    points       INTEGER     NOT NULL CHECK (points <> 0),
    reason       TEXT        NOT NULL,
    reference    TEXT,
    rule_id      UUID,
    vests_at     TIMESTAMPTZ,
    vested       BOOLEAN     NOT NULL DEFAULT true,
    expires_at   TIMESTAMPTZ,
    remaining    INTEGER CHECK (remaining >= 0),
    unallocated  INTEGER CHECK (unallocated >= 0),
    actor        TEXT,
    note         TEXT,
    dedupe_key   TEXT,
    occurred_at  TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK ((points > 0) = (remaining IS NOT NULL)),
    CHECK ((points < 0) = (unallocated IS NOT NULL))
);
CREATE UNIQUE INDEX points_entry_dedupe ON points_entry (customer_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX points_entry_customer ON points_entry (customer_id, id);
CREATE INDEX points_lot_open ON points_entry (customer_id, expires_at) WHERE remaining > 0;
CREATE INDEX points_lot_expiry ON points_entry (expires_at) WHERE remaining > 0;
CREATE INDEX points_lot_vesting ON points_entry (vests_at) WHERE NOT vested;
CREATE INDEX points_debt ON points_entry (customer_id) WHERE unallocated > 0;
CREATE INDEX points_rule_period ON points_entry (customer_id, rule_id, occurred_at) WHERE rule_id IS NOT NULL;

CREATE TABLE points_allocation (
    debit_id BIGINT  NOT NULL REFERENCES points_entry (id),
    lot_id   BIGINT  NOT NULL REFERENCES points_entry (id),
    points   INTEGER NOT NULL CHECK (points > 0),
    PRIMARY KEY (debit_id, lot_id)
);
CREATE INDEX points_allocation_lot ON points_allocation (lot_id);

-- Advance notice of expiry, once per lot.
CREATE TABLE expiry_notice (
    lot_id     BIGINT PRIMARY KEY REFERENCES points_entry (id),
    noticed_at TIMESTAMPTZ NOT NULL
);

-- Earn rules: per currency unit spent (orders), per engagement action (interactions of a type), per completed
-- challenge, per referral; each with an optional cap per customer and period.
CREATE TABLE earn_rule (
    id              UUID PRIMARY KEY,
    name            TEXT          NOT NULL,
    kind            TEXT          NOT NULL CHECK (kind IN ('order', 'engagement', 'challenge', 'referral')),
    interaction     TEXT,
    currency        TEXT,
    points_per_unit NUMERIC(12, 4),
    points          INTEGER,
    cap_points      INTEGER CHECK (cap_points > 0),
    cap_period      TEXT CHECK (cap_period IN ('day', 'week', 'month', 'year')),
    active          BOOLEAN       NOT NULL DEFAULT true,
    version         INTEGER       NOT NULL DEFAULT 1,
    created_by      TEXT          NOT NULL,
    created_at      TIMESTAMPTZ   NOT NULL,
    updated_at      TIMESTAMPTZ   NOT NULL
);
CREATE UNIQUE INDEX earn_rule_name ON earn_rule (lower(name));

-- What each order earned (for an exact clawback on refunds) and the refunds already applied (never twice).
CREATE TABLE order_points (
    customer_id UUID           NOT NULL,
    order_id    TEXT           NOT NULL,
    amount      NUMERIC(18, 4) NOT NULL,
    currency    TEXT           NOT NULL,
    points      INTEGER        NOT NULL,
    reversed    INTEGER        NOT NULL DEFAULT 0 CHECK (reversed <= points),
    refunded    NUMERIC(18, 4) NOT NULL DEFAULT 0,
    placed_at   TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (customer_id, order_id)
);
CREATE TABLE order_refund (
    customer_id UUID NOT NULL,
    order_id    TEXT NOT NULL,
    refund_id   TEXT NOT NULL,
    points      INTEGER NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, order_id, refund_id)
);

-- The rewards catalogue and redemptions: a redemption reserves the points and a unit of stock, then is confirmed
-- (the points are debited) or cancelled / lapses (both come back).
CREATE TABLE reward (
    id               UUID PRIMARY KEY,
    name             TEXT        NOT NULL,
    description      TEXT,
    points_price     INTEGER     NOT NULL CHECK (points_price > 0),
    stock            INTEGER CHECK (stock >= 0),
    per_member_limit INTEGER CHECK (per_member_limit > 0),
    allowed_tiers    JSONB       NOT NULL DEFAULT '[]',
    active           BOOLEAN     NOT NULL DEFAULT true,
    available_from   TIMESTAMPTZ,
    available_until  TIMESTAMPTZ,
    version          INTEGER     NOT NULL DEFAULT 1,
    created_by       TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE TABLE redemption (
    id           UUID PRIMARY KEY,
    customer_id  UUID        NOT NULL,
    reward_id    UUID        NOT NULL REFERENCES reward (id),
    points       INTEGER     NOT NULL CHECK (points > 0),
    status       TEXT        NOT NULL CHECK (status IN ('reserved', 'confirmed', 'cancelled', 'lapsed')),
    entry_id     BIGINT REFERENCES points_entry (id),
    reserved_at  TIMESTAMPTZ NOT NULL,
    hold_until   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    requested_by TEXT        NOT NULL,
    idempotency_key TEXT
);
CREATE UNIQUE INDEX redemption_idempotency ON redemption (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX redemption_customer ON redemption (customer_id, reserved_at DESC);
CREATE INDEX redemption_reward_member ON redemption (reward_id, customer_id) WHERE status IN ('reserved', 'confirmed');
CREATE INDEX redemption_hold ON redemption (hold_until) WHERE status = 'reserved';

-- Customer ids that no longer receive events of their own: merged into a survivor, or erased.
CREATE TABLE retired_customer (
    customer_id UUID PRIMARY KEY,
    survivor_id UUID,
    reason      TEXT        NOT NULL CHECK (reason IN ('merged', 'erased')),
    retired_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX retired_customer_survivor ON retired_customer (survivor_id) WHERE survivor_id IS NOT NULL;
