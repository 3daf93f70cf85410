-- KPI alert rules and the alerts they raised. A rule compares a KPI per period with levels (a threshold on the value,
-- or on its deviation from the baseline in percent), for N consecutive complete periods; one alert per rule, group and
-- breach (the unique key), acknowledged and resolved by people.
CREATE TABLE alert_rule (
    id               UUID PRIMARY KEY,
    name             TEXT        NOT NULL,
    kpi              TEXT        NOT NULL,
    grain            TEXT        NOT NULL,
    dim              TEXT        NOT NULL,
    dim_value        TEXT,
    mode             TEXT        NOT NULL CHECK (mode IN ('threshold', 'baseline')),
    direction        TEXT        NOT NULL CHECK (direction IN ('above', 'below')),
    info_level       DOUBLE PRECISION,
    warning_level    DOUBLE PRECISION,
    critical_level   DOUBLE PRECISION,
    periods          INTEGER     NOT NULL CHECK (periods BETWEEN 1 AND 90),
    baseline_periods INTEGER     NOT NULL CHECK (baseline_periods BETWEEN 1 AND 365),
    min_denominator  DOUBLE PRECISION NOT NULL DEFAULT 0,
    enabled          BOOLEAN     NOT NULL DEFAULT true,
    version          INTEGER     NOT NULL DEFAULT 1,
    created_by       TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX alert_rule_name ON alert_rule (lower(name));

CREATE TABLE kpi_alert (
    id              UUID PRIMARY KEY,
    rule_id         UUID        NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    dim_value       TEXT        NOT NULL,
    period_start    DATE        NOT NULL,
    severity        TEXT        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    value           DOUBLE PRECISION NOT NULL,
    baseline        DOUBLE PRECISION,
    threshold       DOUBLE PRECISION,
    status          TEXT        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    raised_at       TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TIMESTAMPTZ,
    resolved_by     TEXT,
    resolved_at     TIMESTAMPTZ,
    note            TEXT,
    UNIQUE (rule_id, dim_value, period_start)
);
-- at most one unresolved alert per rule and group: a breach that goes on updates it instead of raising another
CREATE UNIQUE INDEX kpi_alert_unresolved ON kpi_alert (rule_id, dim_value) WHERE status <> 'resolved';
CREATE INDEX kpi_alert_status ON kpi_alert (status, raised_at DESC);
