-- Scores are rewritten in place daily: room on each page lets PostgreSQL update rows without touching the indexes
-- whose columns did not change (HOT updates).
ALTER TABLE customer_score SET (fillfactor = 80);

-- bins_below as one expression over the four edges, which PostgreSQL inlines (the subquery form costs a call per use).
CREATE OR REPLACE FUNCTION bins_below(v NUMERIC, edges NUMERIC[]) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (v > edges[1])::integer + (v > edges[2])::integer + (v > edges[3])::integer + (v > edges[4])::integer $$;
