-- Budgets: a period's budget split into pools (strategic 15%, tactical 45%, operational 40% by default). A campaign
-- draws on one pool: every message it sends is charged its channel's cost when a worker claims it (and refunded when
-- it is not sent after all), so sending stops exactly when the pool is spent; coupon redemptions charge their pool's.
CREATE TABLE budget_period (
    id         UUID PRIMARY KEY,
    name       TEXT        NOT NULL,
    starts_on  DATE        NOT NULL,
    ends_on    DATE        NOT NULL CHECK (ends_on >= starts_on),
    total      NUMERIC(19, 4) NOT NULL CHECK (total >= 0),
    currency   CHAR(3)     NOT NULL,
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX budget_period_name ON budget_period (lower(name));

CREATE TABLE budget_pool (
    id        UUID PRIMARY KEY,
    period_id UUID        NOT NULL REFERENCES budget_period (id),
    kind      TEXT        NOT NULL CHECK (kind IN ('strategic', 'tactical', 'operational')),
    share     NUMERIC(5, 2) NOT NULL,
    amount    NUMERIC(19, 4) NOT NULL,
    spent     NUMERIC(19, 4) NOT NULL DEFAULT 0,
    UNIQUE (period_id, kind)
);

ALTER TABLE campaign ADD COLUMN budget_pool_id UUID REFERENCES budget_pool (id);
ALTER TABLE coupon_pool ADD COLUMN budget_pool_id UUID REFERENCES budget_pool (id);
-- what a message was charged (its channel's cost while claimed or once sent; 0 when refunded)
ALTER TABLE message ADD COLUMN cost NUMERIC(19, 6) NOT NULL DEFAULT 0;
