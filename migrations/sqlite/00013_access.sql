-- Conditional Access (server/policy, server/access): policies and named
-- locations as Graph-shaped JSON documents, terms of use and their
-- acceptances, user risk, and the sign-in log (insert-only).

-- +goose Up
CREATE TABLE conditional_access_policies (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    state        TEXT NOT NULL,
    document     TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    modified_at  DATETIME NOT NULL
);
CREATE INDEX conditional_access_policies_tenant_idx ON conditional_access_policies (tenant_id, created_at, id);

CREATE TABLE named_locations (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    document     TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    modified_at  DATETIME NOT NULL
);
CREATE INDEX named_locations_tenant_idx ON named_locations (tenant_id, created_at, id);

CREATE TABLE terms_of_use (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    content      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created_at   DATETIME NOT NULL,
    modified_at  DATETIME NOT NULL
);
CREATE INDEX terms_of_use_tenant_idx ON terms_of_use (tenant_id, created_at, id);

CREATE TABLE terms_of_use_acceptances (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    terms_id    TEXT NOT NULL REFERENCES terms_of_use (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    accepted_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, user_id, terms_id, version)
);

CREATE TABLE user_risks (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    level      TEXT NOT NULL,
    state      TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE sign_in_logs (
    id                        TEXT PRIMARY KEY,
    tenant_id                 TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at                DATETIME NOT NULL,
    correlation_id            TEXT NOT NULL DEFAULT '',
    request_id                TEXT NOT NULL DEFAULT '',
    user_id                   TEXT NOT NULL DEFAULT '',
    user_principal_name       TEXT NOT NULL DEFAULT '',
    user_display_name         TEXT NOT NULL DEFAULT '',
    app_id                    TEXT NOT NULL DEFAULT '',
    app_display_name          TEXT NOT NULL DEFAULT '',
    resource_id               TEXT NOT NULL DEFAULT '',
    ip_address                TEXT NOT NULL DEFAULT '',
    country                   TEXT NOT NULL DEFAULT '',
    user_agent                TEXT NOT NULL DEFAULT '',
    platform                  TEXT NOT NULL DEFAULT '',
    client_app_type           TEXT NOT NULL DEFAULT '',
    is_interactive            BOOLEAN NOT NULL,
    authentication_requirement TEXT NOT NULL DEFAULT '',
    authentication_methods    TEXT NOT NULL DEFAULT '[]',
    error_code                INTEGER NOT NULL,
    failure_reason            TEXT NOT NULL DEFAULT '',
    conditional_access_status TEXT NOT NULL DEFAULT '',
    applied_policies          TEXT NOT NULL DEFAULT '[]',
    risk_level                TEXT NOT NULL DEFAULT '',
    risk_detections           TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX sign_in_logs_time_idx ON sign_in_logs (tenant_id, created_at, id);
CREATE INDEX sign_in_logs_user_idx ON sign_in_logs (tenant_id, user_id, created_at);
CREATE INDEX sign_in_logs_correlation_idx ON sign_in_logs (tenant_id, correlation_id);
CREATE INDEX sign_in_logs_purge_idx ON sign_in_logs (created_at);

-- +goose StatementBegin
CREATE TRIGGER sign_in_logs_insert_only BEFORE UPDATE ON sign_in_logs
BEGIN
    SELECT RAISE(ABORT, 'sign-in log rows cannot be changed');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER sign_in_logs_insert_only;
DROP TABLE sign_in_logs;
DROP TABLE user_risks;
DROP TABLE terms_of_use_acceptances;
DROP TABLE terms_of_use;
DROP TABLE named_locations;
DROP TABLE conditional_access_policies;
