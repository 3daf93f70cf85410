-- Tables every CustOps service shares (custops-platform). Repeatable and idempotent, so the platform can
-- evolve its tables without clashing with a service's own versioned migrations.

-- Transactional outbox: written in the same transaction as the state change, relayed to Kafka in id order.
CREATE TABLE IF NOT EXISTS outbox_event (
    id          BIGSERIAL PRIMARY KEY,
    event_id    UUID        NOT NULL UNIQUE,
    type        TEXT        NOT NULL,
    topic       TEXT        NOT NULL,
    subject     TEXT        NOT NULL,
    source      TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    data        TEXT        NOT NULL
);

-- Idempotent consumers: one row per (consumer, CloudEvent id) seen, written in the consumer's transaction.
CREATE TABLE IF NOT EXISTS processed_event (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS processed_event_processed_at ON processed_event (processed_at);

-- Per-customer tally of consumed events by type: a probe table for tests of the consumer machinery (it holds no
-- service's data; the services have their own tables).
CREATE TABLE IF NOT EXISTS customer_event_tally (
    customer_id  UUID        NOT NULL,
    event_type   TEXT        NOT NULL,
    events       BIGINT      NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, event_type)
);

-- Idempotency-Key replay store: the first response to a (scope, key) is kept and replayed for retries.
CREATE TABLE IF NOT EXISTS idempotency_record (
    scope        TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    request_hash TEXT        NOT NULL,
    status       INTEGER     NOT NULL,
    body         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS idempotency_record_created_at ON idempotency_record (created_at);

-- Audit trail of sensitive operations (unmasked PII reads, merges, splits, exports, erasures): append-only.
CREATE TABLE IF NOT EXISTS audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    customer_id UUID,
    details     TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_customer ON audit_log (customer_id, id);
CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor, id);

-- Long-running batch jobs (recomputes and the like) worked through by whichever replica holds the lease: each
-- step commits its slice of work together with the cursor, so a restarted job carries on where it stopped.
CREATE TABLE IF NOT EXISTS batch_job (
    id          UUID PRIMARY KEY,
    kind        TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    params      TEXT        NOT NULL DEFAULT '{}',
    state       TEXT        NOT NULL DEFAULT 'queued',
    cursor      TEXT,
    processed   BIGINT      NOT NULL DEFAULT 0,
    changed     BIGINT      NOT NULL DEFAULT 0,
    total       BIGINT,
    attempts    INTEGER     NOT NULL DEFAULT 0,
    error       TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS batch_job_open ON batch_job (created_at) WHERE state IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS batch_job_kind ON batch_job (kind, created_at DESC);
-- at most one job of a kind and parameters waits to start: replicas queueing the same work at once share it
CREATE UNIQUE INDEX IF NOT EXISTS batch_job_one_queued ON batch_job (kind, params) WHERE state = 'queued';
