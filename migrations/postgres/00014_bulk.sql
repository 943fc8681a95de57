-- Bulk operations (server/bulk): CSV jobs processed in the background, and
-- each row's result. Progress lives here, so a job resumes after a restart.

-- +goose Up
CREATE TABLE bulk_jobs (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    group_id    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    input       BYTEA NOT NULL,
    total_rows  INTEGER NOT NULL,
    processed   INTEGER NOT NULL DEFAULT 0,
    succeeded   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    actor       TEXT NOT NULL,
    actor_name  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ NOT NULL
);
CREATE INDEX bulk_jobs_tenant_idx ON bulk_jobs (tenant_id, created_at);
CREATE INDEX bulk_jobs_pending_idx ON bulk_jobs (status, lease_until);

CREATE TABLE bulk_job_rows (
    job_id    TEXT NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    ok        BOOLEAN NOT NULL,
    object_id TEXT NOT NULL DEFAULT '',
    error     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, row_number)
);

-- +goose Down
DROP TABLE bulk_job_rows;
DROP TABLE bulk_jobs;
