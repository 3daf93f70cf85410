-- Profiles created by identity resolution, before any registration, are prospects.
ALTER TABLE profile ADD COLUMN status TEXT NOT NULL DEFAULT 'registered';

-- Every accepted activity event; dedup_key (source + ':' + the caller's event id) makes a retried event a no-op.
DROP TABLE ingested_order;
CREATE TABLE activity_event (
    event_id    UUID PRIMARY KEY,
    dedup_key   TEXT        NOT NULL UNIQUE,
    type        TEXT        NOT NULL,
    customer_id UUID        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    data        TEXT        NOT NULL,
    -- free text a customer wrote (feedback comments): PII, never published, erased with the profile
    comment     TEXT
);
CREATE INDEX activity_event_customer ON activity_event (customer_id, occurred_at);
