-- Import jobs are listed newest first, page by page.
CREATE INDEX import_job_listing ON import_job (created_at DESC, id DESC);
