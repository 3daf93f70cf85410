-- Who was erased, when and by whom: makes erasure idempotent and answers a regulator's question.
CREATE TABLE erasure (
    customer_id UUID PRIMARY KEY,
    erased_at   TIMESTAMPTZ NOT NULL,
    erased_by   TEXT        NOT NULL
);
