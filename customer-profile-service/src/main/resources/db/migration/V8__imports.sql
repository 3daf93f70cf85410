-- Bulk imports: a job per uploaded file, processed in chunks; each chunk commits with the job's progress, so a
-- restarted or replaced worker resumes exactly where the last chunk ended.
CREATE TABLE import_job (
    id            UUID PRIMARY KEY,
    kind          TEXT        NOT NULL,
    format        TEXT        NOT NULL,
    file_name     TEXT,
    path          TEXT        NOT NULL,
    sha256        TEXT        NOT NULL,
    total_rows    BIGINT      NOT NULL,
    processed     BIGINT      NOT NULL DEFAULT 0,
    failed        BIGINT      NOT NULL DEFAULT 0,
    byte_offset   BIGINT      NOT NULL DEFAULT 0,
    header        TEXT,
    state         TEXT        NOT NULL,
    created_by    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    lease_owner   TEXT,
    lease_until   TIMESTAMPTZ
);
CREATE UNIQUE INDEX import_job_file ON import_job (kind, sha256);
CREATE INDEX import_job_pending ON import_job (created_at) WHERE state IN ('queued', 'running');

CREATE TABLE import_error (
    job_id     UUID   NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    row_number BIGINT NOT NULL,
    message    TEXT   NOT NULL,
    PRIMARY KEY (job_id, row_number)
);
