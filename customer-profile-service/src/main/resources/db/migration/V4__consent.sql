-- Consent per channel and purpose (PIPL/GDPR): the state in force, and every change ever made.
CREATE TABLE consent (
    customer_id UUID        NOT NULL REFERENCES profile (id) ON DELETE CASCADE,
    channel     TEXT        NOT NULL,
    purpose     TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    source      TEXT        NOT NULL,
    proof       TEXT,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by TEXT        NOT NULL,
    PRIMARY KEY (customer_id, channel, purpose)
);

CREATE TABLE consent_history (
    id          BIGSERIAL PRIMARY KEY,
    customer_id UUID        NOT NULL,
    channel     TEXT        NOT NULL,
    purpose     TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    source      TEXT        NOT NULL,
    proof       TEXT,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by TEXT        NOT NULL
);
CREATE INDEX consent_history_customer ON consent_history (customer_id, id);
