-- The balanced scorecard's layers, indicators, weights and targets (one scorecard, edited as a whole with a version).
CREATE TABLE scorecard_config (
    id         TEXT PRIMARY KEY,
    config     JSONB       NOT NULL,
    version    INTEGER     NOT NULL,
    updated_by TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The last full KPI recompute requested through the API (it runs in the background).
CREATE TABLE kpi_recompute (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    requested_by TEXT        NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    seconds      DOUBLE PRECISION,
    error        TEXT
);
