-- Completeness recomputes now run as platform batch jobs (batch_job, kind profile.completeness).
DROP TABLE completeness_job;
