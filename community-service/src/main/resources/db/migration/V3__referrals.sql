-- Referrals: one code per member; a referee is referred once, by a code that is not their own; each stage
-- (registration, first order) rewards referrer and referee once.
CREATE TABLE referral_code (
    customer_id UUID PRIMARY KEY,
    code        TEXT        NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE referral (
    id             UUID PRIMARY KEY,
    referrer_id    UUID        NOT NULL,
    referee_id     UUID        NOT NULL UNIQUE,
    code           TEXT        NOT NULL,
    source         TEXT        NOT NULL,
    claimed_at     TIMESTAMPTZ NOT NULL,
    first_order_id TEXT,
    first_order_at TIMESTAMPTZ
);
CREATE INDEX referral_referrer ON referral (referrer_id, claimed_at DESC);

-- When customers registered (from ProfileRegistered): a referral is claimed within the window after registration.
CREATE TABLE customer_registration (
    customer_id   UUID PRIMARY KEY,
    registered_at TIMESTAMPTZ NOT NULL
);

-- A referral rule rewards one stage: points for the referrer, referee_points for the referee.
ALTER TABLE earn_rule ADD COLUMN stage TEXT CHECK (stage IN ('registered', 'first-order')), ADD COLUMN referee_points INTEGER;
