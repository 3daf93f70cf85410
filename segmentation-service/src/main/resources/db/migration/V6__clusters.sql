-- Customer clusters: k-means over normalised RFM and engagement features, fitted on a sample; every customer with
-- orders is then assigned to the nearest centroid.
CREATE TABLE cluster_model (
    version     BIGSERIAL PRIMARY KEY,
    computed_at TIMESTAMPTZ NOT NULL,
    k           INTEGER     NOT NULL,
    silhouette  NUMERIC(6, 4),
    sample_size INTEGER     NOT NULL,
    -- {"mean": [...], "sd": [...]} of the features recency, frequency, monetary, health, activity
    scaling     JSONB       NOT NULL,
    -- [{"index": 0, "centroid": [...normalised...], "label": "...", "description": "..."}]
    clusters    JSONB       NOT NULL,
    -- mean silhouette per k tried, to show why k was chosen
    candidates  JSONB       NOT NULL
);
ALTER TABLE customer_score ADD COLUMN cluster SMALLINT, ADD COLUMN cluster_version BIGINT;
