-- The completeness score in SQL, for set-based recomputation (the same rule as io.custops.profile.service.Completeness,
-- which scores a profile in memory): the share of the ten standard attributes and the declared custom attributes
-- that the profile fills.
CREATE FUNCTION profile_completeness(p profile, custom_attributes TEXT[]) RETURNS NUMERIC
LANGUAGE sql STABLE AS $$
    SELECT round((
          (CASE WHEN btrim(coalesce(p.first_name, ''), E' \t\r\n') <> '' THEN 1 ELSE 0 END)
        + (CASE WHEN btrim(coalesce(p.last_name, ''), E' \t\r\n') <> '' THEN 1 ELSE 0 END)
        + (CASE WHEN btrim(coalesce(p.gender, ''), E' \t\r\n') <> '' THEN 1 ELSE 0 END)
        + (CASE WHEN p.birthday IS NOT NULL THEN 1 ELSE 0 END)
        + (CASE WHEN btrim(coalesce(p.locale, ''), E' \t\r\n') <> '' THEN 1 ELSE 0 END)
        + (CASE WHEN btrim(coalesce(p.time_zone, ''), E' \t\r\n') <> '' THEN 1 ELSE 0 END)
        + (CASE WHEN btrim(coalesce(p.region, ''), E' \t\r\n') <> '' THEN 1 ELSE 0 END)
        + (CASE WHEN EXISTS (SELECT 1 FROM profile_identifier i WHERE i.customer_id = p.id AND i.type = 'EMAIL') THEN 1 ELSE 0 END)
        + (CASE WHEN EXISTS (SELECT 1 FROM profile_identifier i WHERE i.customer_id = p.id AND i.type = 'PHONE') THEN 1 ELSE 0 END)
        + (CASE WHEN CAST(p.addresses AS jsonb) <> '[]'::jsonb THEN 1 ELSE 0 END)
        + (SELECT count(*) FROM unnest(custom_attributes) a
           WHERE p.attributes -> a IS NOT NULL AND p.attributes -> a <> 'null'::jsonb)
    )::numeric / (10 + cardinality(custom_attributes)), 4)
$$;

-- Recomputations of every profile's stored score (after the attribute schema changed), worked through in id
-- order by whichever replica holds the lease; last_id makes a restarted job carry on where it stopped.
CREATE TABLE completeness_job (
    id          UUID PRIMARY KEY,
    reason      TEXT        NOT NULL,
    state       TEXT        NOT NULL DEFAULT 'queued',
    processed   BIGINT      NOT NULL DEFAULT 0,
    changed     BIGINT      NOT NULL DEFAULT 0,
    total       BIGINT,
    last_id     UUID,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ
);
CREATE INDEX completeness_job_open ON completeness_job (created_at) WHERE state IN ('queued', 'running');
