-- Orders as campaign-service needs them (journey triggers and conditions, purchase cycles, recommendations):
-- once per customer and order, so a redelivered or resent order counts once.
CREATE TABLE customer_order (
    customer_id UUID        NOT NULL,
    order_id    TEXT        NOT NULL,
    placed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, order_id)
);
ALTER TABLE audience_customer ADD COLUMN order_count INTEGER NOT NULL DEFAULT 0, ADD COLUMN first_order_at TIMESTAMPTZ,
    ADD COLUMN last_order_at TIMESTAMPTZ, ADD COLUMN scores JSONB, ADD COLUMN scores_at TIMESTAMPTZ;
CREATE INDEX audience_customer_birthday ON audience_customer (birthday_month_day) WHERE birthday_month_day IS NOT NULL;
CREATE INDEX audience_customer_last_order ON audience_customer (last_order_at) WHERE last_order_at IS NOT NULL;

-- Journeys: a definition per version (customers in flight finish on the version they entered).
CREATE TABLE journey (
    id          UUID PRIMARY KEY,
    name        TEXT        NOT NULL,
    description TEXT,
    status      TEXT        NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    version     INTEGER     NOT NULL,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX journey_name ON journey (lower(name)) WHERE status <> 'archived';

CREATE TABLE journey_version (
    journey_id UUID        NOT NULL REFERENCES journey (id),
    version    INTEGER     NOT NULL,
    definition JSONB       NOT NULL,
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (journey_id, version)
);

-- One customer's way through one journey. An instance in flight is 'active' and due at due_at: a timer is this
-- row, never memory, and a worker on any replica takes it when due (FOR UPDATE SKIP LOCKED). Waiting for an event,
-- waiting_event names it and due_at is the timeout.
CREATE TABLE journey_instance (
    id            UUID PRIMARY KEY,
    journey_id    UUID        NOT NULL REFERENCES journey (id),
    version       INTEGER     NOT NULL,
    customer_id   UUID        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('active', 'completed', 'converted', 'exited', 'failed')),
    step_id       TEXT,
    due_at        TIMESTAMPTZ NOT NULL,
    waiting_event TEXT,
    lease_until   TIMESTAMPTZ,
    attempts      INTEGER     NOT NULL DEFAULT 0,
    variant       TEXT,
    context       JSONB       NOT NULL DEFAULT '{}',
    reason        TEXT,
    entered_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX journey_instance_due ON journey_instance (due_at) WHERE status = 'active';
CREATE INDEX journey_instance_customer ON journey_instance (customer_id, journey_id, entered_at DESC);
CREATE INDEX journey_instance_journey ON journey_instance (journey_id, status, step_id);

-- What each instance went through, step by step (journey statistics and a customer's history).
CREATE TABLE journey_step_log (
    instance_id UUID        NOT NULL REFERENCES journey_instance (id) ON DELETE CASCADE,
    at          TIMESTAMPTZ NOT NULL,
    step_id     TEXT        NOT NULL,
    outcome     TEXT        NOT NULL
);
CREATE INDEX journey_step_log_instance ON journey_step_log (instance_id, at);

-- The co-purchase model ("customers who bought A also bought B"), kept incrementally from OrderPlaced: which SKUs
-- each customer bought, how many customers bought each SKU, and each ordered pair of SKUs bought by one customer.
CREATE TABLE customer_item (
    customer_id UUID        NOT NULL,
    sku         TEXT        NOT NULL,
    first_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, sku)
);
CREATE TABLE item_stat (
    sku       TEXT PRIMARY KEY,
    customers BIGINT NOT NULL
);
CREATE TABLE item_pair (
    sku       TEXT   NOT NULL,
    other_sku TEXT   NOT NULL,
    customers BIGINT NOT NULL,
    PRIMARY KEY (sku, other_sku)
);
CREATE INDEX item_pair_rank ON item_pair (sku, customers DESC);

-- messages a journey sent, for its statistics and attribution
ALTER TABLE message ADD COLUMN journey_id UUID;
CREATE INDEX message_journey ON message (journey_id, status) WHERE journey_id IS NOT NULL;
