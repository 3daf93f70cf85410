-- The budget pool a message charges is fixed when the message is created (from its campaign or journey), so claims
-- and refunds always meet the same pool even if the campaign's or journey's pool changes later.
ALTER TABLE journey ADD COLUMN budget_pool_id UUID REFERENCES budget_pool (id);
ALTER TABLE message ADD COLUMN budget_pool_id UUID REFERENCES budget_pool (id);
UPDATE message m SET budget_pool_id = c.budget_pool_id FROM campaign c WHERE c.id = m.campaign_id AND c.budget_pool_id IS NOT NULL;
CREATE INDEX message_budget_pool ON message (budget_pool_id) WHERE budget_pool_id IS NOT NULL;
