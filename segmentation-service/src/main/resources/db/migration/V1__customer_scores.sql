-- One row per customer: the rollup maintained from events and the scores derived from it.
CREATE TABLE customer_score (
    customer_id     UUID PRIMARY KEY,
    version         BIGINT         NOT NULL,
    lifecycle_stage TEXT           NOT NULL,
    order_count     INTEGER        NOT NULL DEFAULT 0,
    monetary_total  NUMERIC(19, 4) NOT NULL DEFAULT 0,
    currency        CHAR(3),
    first_order_at  TIMESTAMPTZ,
    last_order_at   TIMESTAMPTZ,
    registered_at   TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ    NOT NULL
);
CREATE INDEX customer_score_stage ON customer_score (lifecycle_stage);
