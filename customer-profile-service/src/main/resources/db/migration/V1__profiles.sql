CREATE TABLE profile (
    id                   UUID PRIMARY KEY,
    version              BIGINT      NOT NULL,
    source               TEXT        NOT NULL,
    registration_channel TEXT,
    first_name           TEXT,
    last_name            TEXT,
    locale               TEXT,
    region               TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX profile_created_at ON profile (created_at, id);

-- One row per normalised identifier; an identifier belongs to exactly one profile.
CREATE TABLE profile_identifier (
    type        TEXT NOT NULL,
    value       TEXT NOT NULL,
    customer_id UUID NOT NULL REFERENCES profile (id) ON DELETE CASCADE,
    PRIMARY KEY (type, value)
);
CREATE INDEX profile_identifier_customer ON profile_identifier (customer_id);

-- Orders accepted by ingestion: (source, order_id) makes a retried ingestion a no-op.
CREATE TABLE ingested_order (
    source      TEXT        NOT NULL,
    order_id    TEXT        NOT NULL,
    customer_id UUID        NOT NULL,
    event_id    UUID        NOT NULL,
    placed_at   TIMESTAMPTZ NOT NULL,
    amount      NUMERIC(19, 4) NOT NULL,
    currency    CHAR(3)     NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, order_id)
);
CREATE INDEX ingested_order_customer ON ingested_order (customer_id, placed_at);
