-- Merge lineage: which profile was folded into which, when, why, and a snapshot to split it back out.
CREATE TABLE profile_merge (
    id          UUID PRIMARY KEY,
    survivor_id UUID        NOT NULL,
    merged_id   UUID        NOT NULL,
    merged_at   TIMESTAMPTZ NOT NULL,
    reason      TEXT        NOT NULL,
    merged_by   TEXT        NOT NULL,
    snapshot    TEXT        NOT NULL,
    split_at    TIMESTAMPTZ,
    split_by    TEXT
);
CREATE INDEX profile_merge_survivor ON profile_merge (survivor_id);
CREATE INDEX profile_merge_merged ON profile_merge (merged_id);

-- Rows moved to a survivor remember whose they were, so a split can move them back.
ALTER TABLE activity_event ADD COLUMN original_customer_id UUID;
ALTER TABLE consent_history ADD COLUMN original_customer_id UUID;
