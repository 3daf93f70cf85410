-- The KPI day parts (see KpiCatalog.Part): per customer class and day, the sums of the high-volume facts and, for every
-- grain, the counts of customers first seen in their period that day. A day's counts depend only on facts up to that
-- day, so each rollup run replaces the days from its earliest changed one, computed from the customers with facts on
-- them; longer periods are sums over their days. The per-grain columns are in the order day, week, month, quarter.
CREATE TABLE kpi_order_day (
    class_id INTEGER          NOT NULL,
    day      DATE             NOT NULL,
    orders   BIGINT           NOT NULL,
    revenue  DOUBLE PRECISION NOT NULL,
    priced   BIGINT           NOT NULL,
    refunds  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (day, class_id)
);

-- grouping_set 1: per class and day; 2: per first-order day and day (the retention cohorts)
CREATE TABLE kpi_buyer_day (
    grouping_set      INTEGER NOT NULL,
    class_id          INTEGER,
    first_day         DATE,
    day               DATE    NOT NULL,
    newcomers         BIGINT  NOT NULL,
    buyers_day        BIGINT  NOT NULL,
    buyers_week       BIGINT  NOT NULL,
    buyers_month      BIGINT  NOT NULL,
    buyers_quarter    BIGINT  NOT NULL,
    returned_day      BIGINT  NOT NULL,
    returned_week     BIGINT  NOT NULL,
    returned_month    BIGINT  NOT NULL,
    returned_quarter  BIGINT  NOT NULL,
    repeaters_day     BIGINT  NOT NULL,
    repeaters_week    BIGINT  NOT NULL,
    repeaters_month   BIGINT  NOT NULL,
    repeaters_quarter BIGINT  NOT NULL
);
CREATE INDEX kpi_buyer_day_day ON kpi_buyer_day (day);

CREATE TABLE kpi_interaction_day (
    class_id       INTEGER NOT NULL,
    day            DATE    NOT NULL,
    interactions   BIGINT  NOT NULL,
    active_day     BIGINT  NOT NULL,
    active_week    BIGINT  NOT NULL,
    active_month   BIGINT  NOT NULL,
    active_quarter BIGINT  NOT NULL,
    PRIMARY KEY (day, class_id)
);

CREATE TABLE kpi_points_day (
    class_id          INTEGER NOT NULL,
    day               DATE    NOT NULL,
    earned            BIGINT  NOT NULL,
    redeemed          BIGINT  NOT NULL,
    earners_day       BIGINT  NOT NULL,
    earners_week      BIGINT  NOT NULL,
    earners_month     BIGINT  NOT NULL,
    earners_quarter   BIGINT  NOT NULL,
    redeemers_day     BIGINT  NOT NULL,
    redeemers_week    BIGINT  NOT NULL,
    redeemers_month   BIGINT  NOT NULL,
    redeemers_quarter BIGINT  NOT NULL,
    PRIMARY KEY (day, class_id)
);

-- the parts start empty: the next rollup recomputes from the first fact they are made of
INSERT INTO kpi_dirty (day)
SELECT CAST(least((SELECT min(placed_at) FROM order_fact), (SELECT min(occurred_at) FROM interaction_fact),
    (SELECT min(occurred_at) FROM points_fact)) AT TIME ZONE 'UTC' AS date) AS day
WHERE least((SELECT min(placed_at) FROM order_fact), (SELECT min(occurred_at) FROM interaction_fact), (SELECT min(occurred_at) FROM points_fact)) IS NOT NULL
ON CONFLICT DO NOTHING;
