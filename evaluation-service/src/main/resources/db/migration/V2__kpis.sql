-- KPI facts: what the KPIs are computed from, one row per business fact under its natural key (so a resent order or
-- feedback never counts twice), written a polled batch at a time by FactsConsumer.
ALTER TABLE order_fact ADD COLUMN channel TEXT;
CREATE INDEX order_fact_placed ON order_fact (placed_at);

CREATE TABLE refund_fact (
    customer_id UUID           NOT NULL,
    refund_id   TEXT           NOT NULL,
    order_id    TEXT           NOT NULL,
    refunded_at TIMESTAMPTZ    NOT NULL,
    amount      NUMERIC(18, 4) NOT NULL,
    currency    TEXT           NOT NULL,
    PRIMARY KEY (customer_id, refund_id)
);
CREATE INDEX refund_fact_refunded ON refund_fact (refunded_at);

CREATE TABLE interaction_fact (
    customer_id      UUID        NOT NULL,
    interaction_id   TEXT        NOT NULL,
    interaction_type TEXT        NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, interaction_id)
);
CREATE INDEX interaction_fact_occurred ON interaction_fact (occurred_at);

-- NPS and CSAT answers and complaints; a complaint's resolution (ComplaintResolved) fills resolved_at.
CREATE TABLE feedback_fact (
    customer_id  UUID        NOT NULL,
    feedback_id  TEXT        NOT NULL,
    kind         TEXT        NOT NULL,
    score        INTEGER,
    category     TEXT,
    submitted_at TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ,
    PRIMARY KEY (customer_id, feedback_id)
);
CREATE INDEX feedback_fact_submitted ON feedback_fact (submitted_at);

CREATE TABLE points_fact (
    kind        TEXT        NOT NULL CHECK (kind IN ('earned', 'redeemed')),
    reference   TEXT        NOT NULL,
    customer_id UUID        NOT NULL,
    points      INTEGER     NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, reference)
);
CREATE INDEX points_fact_customer ON points_fact (customer_id);

CREATE TABLE referral_fact (
    referral_id  UUID        NOT NULL,
    stage        TEXT        NOT NULL,
    referrer_id  UUID        NOT NULL,
    referee_id   UUID        NOT NULL,
    completed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (referral_id, stage)
);

-- Every message now (not only campaign ones), with its channel, cost and budget pool, and its funnel stages.
ALTER TABLE message_fact ALTER COLUMN campaign_id DROP NOT NULL;
ALTER TABLE message_fact ADD COLUMN channel TEXT;
ALTER TABLE message_fact ADD COLUMN sent_at TIMESTAMPTZ;
ALTER TABLE message_fact ADD COLUMN delivered_at TIMESTAMPTZ;
ALTER TABLE message_fact ADD COLUMN converted_at TIMESTAMPTZ;
ALTER TABLE message_fact ADD COLUMN conversion_revenue NUMERIC(18, 4);
ALTER TABLE message_fact ADD COLUMN conversion_currency TEXT;
ALTER TABLE message_fact ADD COLUMN cost NUMERIC(19, 6);
ALTER TABLE message_fact ADD COLUMN cost_currency TEXT;
ALTER TABLE message_fact ADD COLUMN budget_pool_id UUID;
CREATE INDEX message_fact_sent ON message_fact (sent_at);
CREATE INDEX message_fact_customer ON message_fact (customer_id);

-- A customer's current state as the KPIs slice by it: registration, first order, completeness, tier, stage, health.
CREATE TABLE customer_dim (
    customer_id    UUID PRIMARY KEY,
    registered_at  TIMESTAMPTZ,
    first_order_at TIMESTAMPTZ,
    completeness   NUMERIC(7, 4),
    tier           TEXT,
    lifecycle_stage TEXT,
    health_index   INTEGER,
    at_risk        BOOLEAN,
    churn_risk     BOOLEAN
);

-- The groups a customer is counted in besides "all": tier, segments, communities (current membership).
CREATE TABLE customer_dimension (
    customer_id UUID NOT NULL,
    dim         TEXT NOT NULL,
    dim_value   TEXT NOT NULL,
    PRIMARY KEY (customer_id, dim, dim_value)
);
CREATE INDEX customer_dimension_value ON customer_dimension (dim, dim_value);
CREATE TABLE segment_name (
    segment_id UUID PRIMARY KEY,
    name       TEXT NOT NULL
);

-- Profile completeness over time as changes: the average at any date is the running sum of deltas over the running
-- count of profiles with a known completeness (first = 1 on a profile's first value).
CREATE TABLE completeness_change (
    customer_id UUID           NOT NULL,
    changed_at  TIMESTAMPTZ    NOT NULL,
    delta       NUMERIC(8, 4)  NOT NULL,
    first       INTEGER        NOT NULL,
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
);
CREATE INDEX completeness_change_at ON completeness_change (changed_at);

-- Tier and lifecycle-stage moves, for migration matrices.
CREATE TABLE state_change_fact (
    customer_id UUID        NOT NULL,
    dimension   TEXT        NOT NULL CHECK (dimension IN ('tier', 'stage')),
    from_state  TEXT,
    to_state    TEXT        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, dimension, changed_at, to_state)
);
CREATE INDEX state_change_fact_at ON state_change_fact (dimension, changed_at);

-- Days whose facts changed since the last rollup (the rollup recomputes from the earliest).
CREATE TABLE kpi_dirty (
    day DATE PRIMARY KEY
);

-- KPI rollups: numerator and denominator per KPI, grain, group and period (value = numerator / denominator, scaled
-- by the KPI's unit); cumulative KPIs hold running totals.
CREATE TABLE kpi_rollup (
    kpi          TEXT             NOT NULL,
    grain        TEXT             NOT NULL CHECK (grain IN ('day', 'week', 'month', 'quarter')),
    dim          TEXT             NOT NULL,
    dim_value    TEXT             NOT NULL,
    period_start DATE             NOT NULL,
    numerator    DOUBLE PRECISION NOT NULL,
    denominator  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (kpi, grain, dim, dim_value, period_start)
);

-- Retention cohorts: how many of the customers whose first order fell in a period ordered in each later period (in
-- the first period itself: all of them, the cohort's size).
CREATE TABLE cohort_rollup (
    grain        TEXT    NOT NULL,
    cohort_start DATE    NOT NULL,
    period_start DATE    NOT NULL,
    active       INTEGER NOT NULL,
    PRIMARY KEY (grain, cohort_start, period_start)
);

-- The health-index distribution per day (buckets of 10 points) with at-risk and churn-risk counts.
CREATE TABLE health_snapshot (
    day        DATE    NOT NULL,
    bucket     INTEGER NOT NULL,
    customers  INTEGER NOT NULL,
    at_risk    INTEGER NOT NULL,
    churn_risk INTEGER NOT NULL,
    PRIMARY KEY (day, bucket)
);
