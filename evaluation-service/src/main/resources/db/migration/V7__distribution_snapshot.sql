-- The current tier and lifecycle-stage distribution, rewritten by each rollup run (one scan of customer_dim a minute),
-- so the dashboard reads a handful of rows instead of counting a million customers per view.
CREATE TABLE distribution_snapshot (
    dimension TEXT   NOT NULL,
    value     TEXT   NOT NULL,
    customers BIGINT NOT NULL,
    PRIMARY KEY (dimension, value)
);
