-- The balanced scorecard's layers, indicators, weights and targets (one scorecard, edited as a whole with a version).
CREATE TABLE scorecard_config (
    id         TEXT PRIMARY KEY,
    config     JSONB       NOT NULL,
    version    INTEGER     NOT NULL,
    updated_by TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
