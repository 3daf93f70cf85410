-- A/B tests: a campaign's variants (name, template, weight) and hold-out share; the winner once promoted.
ALTER TABLE campaign ADD COLUMN variants JSONB, ADD COLUMN holdout_percent NUMERIC(5, 2) NOT NULL DEFAULT 0,
    ADD COLUMN winner TEXT, ADD COLUMN promoted_at TIMESTAMPTZ;
ALTER TABLE message ADD COLUMN variant TEXT;

-- Who was assigned to which variant (or control) of an experiment: a campaign (step '') or a journey's split step.
CREATE TABLE experiment_assignment (
    experiment_id UUID        NOT NULL,
    step          TEXT        NOT NULL DEFAULT '',
    customer_id   UUID        NOT NULL,
    variant       TEXT        NOT NULL,
    assigned_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (experiment_id, step, customer_id)
);

-- Settings an admin changes at run time: the global control group's share (customers in it get no marketing, so
-- the lift of all marketing together can be measured).
CREATE TABLE campaign_setting (
    key        TEXT PRIMARY KEY,
    value      TEXT        NOT NULL,
    updated_by TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
INSERT INTO campaign_setting (key, value, updated_by, updated_at) VALUES ('global-control-percent', '0', 'migration', now());
