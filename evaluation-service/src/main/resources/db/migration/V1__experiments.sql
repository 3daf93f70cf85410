-- Experiments as evaluation-service sees them: who got which variant (VariantAssigned), what they did afterwards
-- (orders, and for campaigns the opens, clicks and unsubscribes of their messages), and the verdicts reached.
CREATE TABLE experiment (
    id            UUID        NOT NULL,
    step          TEXT        NOT NULL DEFAULT '',
    kind          TEXT        NOT NULL CHECK (kind IN ('campaign', 'journey')),
    first_assigned_at TIMESTAMPTZ NOT NULL,
    last_assigned_at  TIMESTAMPTZ NOT NULL,
    concluded_at  TIMESTAMPTZ,
    winner        TEXT,
    metric        TEXT,
    p_value       NUMERIC,
    PRIMARY KEY (id, step)
);
CREATE INDEX experiment_open ON experiment (last_assigned_at) WHERE concluded_at IS NULL;

CREATE TABLE experiment_assignment (
    experiment_id UUID        NOT NULL,
    step          TEXT        NOT NULL,
    customer_id   UUID        NOT NULL,
    variant       TEXT        NOT NULL,
    planned_share NUMERIC,
    assigned_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (experiment_id, step, customer_id)
);
CREATE INDEX experiment_assignment_customer ON experiment_assignment (customer_id);

CREATE TABLE order_fact (
    customer_id UUID           NOT NULL,
    order_id    TEXT           NOT NULL,
    placed_at   TIMESTAMPTZ    NOT NULL,
    revenue     NUMERIC(18, 4) NOT NULL,
    currency    TEXT           NOT NULL,
    PRIMARY KEY (customer_id, order_id)
);
CREATE INDEX order_fact_customer ON order_fact (customer_id, placed_at);

-- Which campaign a message belonged to (MessageSent), and how its customer engaged with it.
CREATE TABLE message_fact (
    message_id      UUID PRIMARY KEY,
    campaign_id     UUID NOT NULL,
    customer_id     UUID NOT NULL,
    opened_at       TIMESTAMPTZ,
    clicked_at      TIMESTAMPTZ,
    unsubscribed_at TIMESTAMPTZ
);
CREATE INDEX message_fact_campaign ON message_fact (campaign_id, customer_id);

-- The running minimum of each always-valid p-value, so that looking again never makes a result look better.
CREATE TABLE sequential_p (
    experiment_id UUID    NOT NULL,
    step          TEXT    NOT NULL,
    metric        TEXT    NOT NULL,
    variant       TEXT    NOT NULL,
    p_value       DOUBLE PRECISION NOT NULL,
    looks         INTEGER NOT NULL,
    PRIMARY KEY (experiment_id, step, metric, variant)
);
