-- Activity facts: what customers did, as reported by the activity events. Rollups and scores are derived from
-- them set-based, so duplicate and out-of-order delivery cannot skew them (a fact is stored once, by its key).
CREATE TABLE order_fact (
    customer_id UUID           NOT NULL,
    order_id    TEXT           NOT NULL,
    placed_at   TIMESTAMPTZ    NOT NULL,
    amount      NUMERIC(19, 4) NOT NULL,
    currency    CHAR(3)        NOT NULL,
    channel     TEXT,
    store       TEXT,
    source      TEXT,
    skus        TEXT[]         NOT NULL DEFAULT '{}',
    categories  TEXT[]         NOT NULL DEFAULT '{}',
    item_count  INTEGER        NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, order_id)
);
CREATE INDEX order_fact_placed ON order_fact (customer_id, placed_at);

CREATE TABLE refund_fact (
    customer_id UUID           NOT NULL,
    refund_id   TEXT           NOT NULL,
    order_id    TEXT           NOT NULL,
    refunded_at TIMESTAMPTZ    NOT NULL,
    amount      NUMERIC(19, 4) NOT NULL,
    currency    CHAR(3)        NOT NULL,
    reason      TEXT,
    PRIMARY KEY (customer_id, refund_id)
);

CREATE TABLE interaction_fact (
    customer_id      UUID        NOT NULL,
    interaction_id   TEXT        NOT NULL,
    interaction_type TEXT        NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    channel          TEXT,
    properties       JSONB       NOT NULL DEFAULT '{}',
    PRIMARY KEY (customer_id, interaction_id)
);
CREATE INDEX interaction_fact_occurred ON interaction_fact (customer_id, occurred_at);
CREATE INDEX interaction_fact_retention ON interaction_fact (occurred_at);

CREATE TABLE feedback_fact (
    customer_id  UUID        NOT NULL,
    feedback_id  TEXT        NOT NULL,
    kind         TEXT        NOT NULL,
    score        SMALLINT,
    category     TEXT,
    channel      TEXT,
    submitted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, feedback_id)
);

-- A resolution may arrive before its complaint (they travel as separate events), so it is kept on its own.
CREATE TABLE complaint_resolution (
    customer_id  UUID        NOT NULL,
    complaint_id TEXT        NOT NULL,
    resolved_at  TIMESTAMPTZ NOT NULL,
    resolution   TEXT,
    PRIMARY KEY (customer_id, complaint_id)
);

-- Manual tags from TagsChanged, for segment rules.
CREATE TABLE customer_tag (
    customer_id UUID NOT NULL,
    tag_group   TEXT NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag_group, tag)
);

-- Retired customer ids: events that still arrive for a merged id count for its survivor; those for an erased
-- customer are dropped (profile and activity topics are not ordered with each other).
CREATE TABLE merged_customer (
    merged_id   UUID PRIMARY KEY,
    survivor_id UUID        NOT NULL,
    merged_at   TIMESTAMPTZ NOT NULL
);
CREATE TABLE erased_customer (
    customer_id UUID PRIMARY KEY,
    erased_at   TIMESTAMPTZ NOT NULL
);

-- The rollup (from facts) and the scores (from the rollup and the current scoring model) of each customer.
ALTER TABLE customer_score
    ADD COLUMN region                  TEXT,
    ADD COLUMN locale                  TEXT,
    ADD COLUMN registration_channel    TEXT,
    ADD COLUMN registration_source     TEXT,
    ADD COLUMN refund_count            INTEGER        NOT NULL DEFAULT 0,
    ADD COLUMN refund_total            NUMERIC(19, 4) NOT NULL DEFAULT 0,
    ADD COLUMN avg_interpurchase_days  NUMERIC(10, 2),
    ADD COLUMN window_orders           INTEGER        NOT NULL DEFAULT 0,
    ADD COLUMN window_monetary         NUMERIC(19, 4) NOT NULL DEFAULT 0,
    ADD COLUMN interactions_7d         INTEGER        NOT NULL DEFAULT 0,
    ADD COLUMN interactions_30d        INTEGER        NOT NULL DEFAULT 0,
    ADD COLUMN interactions_90d        INTEGER        NOT NULL DEFAULT 0,
    ADD COLUMN interaction_types_30d   INTEGER        NOT NULL DEFAULT 0,
    ADD COLUMN active_days_30d         INTEGER        NOT NULL DEFAULT 0,
    ADD COLUMN interactions_by_type    JSONB          NOT NULL DEFAULT '{}',
    ADD COLUMN last_interaction_at     TIMESTAMPTZ,
    ADD COLUMN last_login_at           TIMESTAMPTZ,
    ADD COLUMN latest_nps              SMALLINT,
    ADD COLUMN latest_csat             SMALLINT,
    ADD COLUMN open_complaints         INTEGER        NOT NULL DEFAULT 0,
    ADD COLUMN rollup_at               TIMESTAMPTZ,
    ADD COLUMN recency_days            INTEGER,
    ADD COLUMN r_score                 SMALLINT,
    ADD COLUMN f_score                 SMALLINT,
    ADD COLUMN m_score                 SMALLINT,
    ADD COLUMN value_score             NUMERIC(4, 2),
    ADD COLUMN tier                    CHAR(1),
    ADD COLUMN value_level             TEXT           NOT NULL DEFAULT 'prospect',
    ADD COLUMN value_grade             SMALLINT       NOT NULL DEFAULT 1,
    ADD COLUMN activity_grade          SMALLINT       NOT NULL DEFAULT 1,
    ADD COLUMN potential_grade         SMALLINT       NOT NULL DEFAULT 1,
    ADD COLUMN strategy                TEXT           NOT NULL DEFAULT 'cost-control',
    ADD COLUMN health_activity         SMALLINT       NOT NULL DEFAULT 0,
    ADD COLUMN health_frequency        SMALLINT       NOT NULL DEFAULT 0,
    ADD COLUMN health_depth            SMALLINT       NOT NULL DEFAULT 0,
    ADD COLUMN health_index            SMALLINT       NOT NULL DEFAULT 0,
    ADD COLUMN at_risk                 BOOLEAN        NOT NULL DEFAULT TRUE,
    ADD COLUMN churn_risk              BOOLEAN        NOT NULL DEFAULT FALSE,
    ADD COLUMN churn_reasons           TEXT[]         NOT NULL DEFAULT '{}',
    ADD COLUMN model_version           BIGINT,
    ADD COLUMN scored_at               TIMESTAMPTZ;
CREATE INDEX customer_score_tier ON customer_score (tier);
CREATE INDEX customer_score_last_order ON customer_score (last_order_at);

-- The history of every customer's lifecycle stage (the stage machine's transitions).
CREATE TABLE lifecycle_history (
    id          BIGSERIAL PRIMARY KEY,
    customer_id UUID        NOT NULL,
    from_stage  TEXT,
    to_stage    TEXT        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    reason      TEXT        NOT NULL
);
CREATE INDEX lifecycle_history_customer ON lifecycle_history (customer_id, id);

-- The scoring configuration (one row, edited through the API) ...
CREATE TABLE scoring_config (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    config     JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT        NOT NULL
);

-- ... and the scoring models computed from it: the configuration in force plus the bin edges and tier cut-offs
-- computed over the active base at that moment. Every score names the model version that produced it, so its
-- explanation can always be reconstructed.
CREATE TABLE scoring_model (
    version          BIGSERIAL PRIMARY KEY,
    computed_at      TIMESTAMPTZ    NOT NULL,
    config           JSONB          NOT NULL,
    active_customers BIGINT         NOT NULL,
    recency_edges    NUMERIC[]      NOT NULL,
    frequency_edges  NUMERIC[]      NOT NULL,
    monetary_edges   NUMERIC[]      NOT NULL,
    activity_edges   NUMERIC[]      NOT NULL,
    -- tier cut-offs as (value score, window monetary) pairs for A, B and C: at or above the pair gets the tier
    tier_min_scores  NUMERIC[]      NOT NULL,
    tier_min_monetary NUMERIC[]     NOT NULL
);

-- The health index last announced in ScoresUpdated: small daily drifts are not announced, larger moves are.
ALTER TABLE customer_score ADD COLUMN published_health SMALLINT;

-- How many bin edges lie strictly below a value: 1 + bins_below(v, edges) is an ascending 1..5 score from four
-- quintile edges, 5 - bins_below(v, edges) a descending one (recency: fewer days is better).
CREATE FUNCTION bins_below(v NUMERIC, edges NUMERIC[]) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT count(*)::integer FROM unnest(edges) e WHERE e < v);

-- The default scoring configuration (see ScoringConfig for what each value means).
INSERT INTO scoring_config (id, config, updated_at, updated_by) VALUES (1, '{
  "windowDays": 365,
  "binning": "quantile",
  "fixedEdges": {"recencyDays": [30, 60, 120, 240], "frequency": [1, 2, 3, 5], "monetary": [50, 100, 250, 500],
                 "interactions30d": [1, 3, 6, 12]},
  "minActiveForQuantiles": 20,
  "weights": {"recency": 1, "frequency": 1, "monetary": 1},
  "tiers": {"mode": "shares", "shares": {"A": 0.12, "B": 0.23, "C": 0.45}, "thresholds": {"A": 4.0, "B": 3.0, "C": 2.0}},
  "health": {"weights": {"activity": 0.40, "frequency": 0.35, "depth": 0.25}, "activityHorizonDays": 90,
             "depthInteractions": 20, "depthTypes": 5, "atRiskBelow": 40},
  "churn": {"purchaseGapFactor": 1.5, "purchaseGapMinDays": 14, "inactiveDays": 30, "dropRatio": 0.5, "dropMinimumMonthly": 4},
  "highPotentialFrom": 3,
  "healthAnnounceStep": 5
}', now(), 'migration');
