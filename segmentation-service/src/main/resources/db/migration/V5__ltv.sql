-- Lifetime value: the 12-month prediction and the probability that the customer is still active, per customer, and
-- the population figures of the model it was predicted with (median purchase cycle, mean order value).
ALTER TABLE customer_score
    ADD COLUMN p_alive           NUMERIC(5, 4) NOT NULL DEFAULT 0,
    ADD COLUMN ltv_predicted_12m NUMERIC(19, 2) NOT NULL DEFAULT 0;
ALTER TABLE scoring_model
    ADD COLUMN median_cycle_days NUMERIC(10, 2),
    ADD COLUMN mean_order_value  NUMERIC(19, 4);
UPDATE scoring_config SET config = config || '{"ltvPriorOrders": 2}'::jsonb WHERE id = 1;
