-- Reviews: a monthly quick review, a quarterly full review, or a comparison with the baseline before a programme
-- started. A report is its own job resource: requested (building), then published with its body, or failed with the
-- error. Scheduled reviews are made once per kind and period (the partial unique index).
CREATE TABLE report (
    id              UUID PRIMARY KEY,
    kind            TEXT        NOT NULL CHECK (kind IN ('monthly', 'quarterly', 'baseline')),
    grain           TEXT        NOT NULL,
    period_start    DATE        NOT NULL,
    period_end      DATE        NOT NULL,
    comparison_start DATE       NOT NULL,
    comparison_end  DATE        NOT NULL,
    programme_start DATE,
    status          TEXT        NOT NULL CHECK (status IN ('building', 'published', 'failed')),
    scheduled       BOOLEAN     NOT NULL DEFAULT false,
    requested_by    TEXT        NOT NULL,
    requested_at    TIMESTAMPTZ NOT NULL,
    published_at    TIMESTAMPTZ,
    error           TEXT,
    body            JSONB
);
CREATE UNIQUE INDEX report_scheduled_once ON report (kind, period_start) WHERE scheduled;
CREATE INDEX report_newest ON report (requested_at DESC, id DESC);
