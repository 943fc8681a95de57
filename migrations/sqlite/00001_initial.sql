-- Initial schema for SQLite. Times are DATETIME text written by the driver in UTC
-- as "2006-01-02 15:04:05.999999-07:00"; the store truncates them to microseconds
-- so that text comparison orders them correctly. Booleans are 0/1.

-- +goose Up
CREATE TABLE tenants (
    id           TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    settings     TEXT NOT NULL DEFAULT '{}',
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);

CREATE TABLE domains (
    name       TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    verified   BOOLEAN NOT NULL DEFAULT 0,
    initial    BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL
);
CREATE INDEX domains_tenant_id_idx ON domains (tenant_id);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_principal_name TEXT NOT NULL,
    display_name        TEXT NOT NULL DEFAULT '',
    given_name          TEXT NOT NULL DEFAULT '',
    surname             TEXT NOT NULL DEFAULT '',
    mail                TEXT NOT NULL DEFAULT '',
    user_type           TEXT NOT NULL DEFAULT 'Member',
    account_enabled     BOOLEAN NOT NULL DEFAULT 1,
    password_hash       TEXT NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL
);
CREATE UNIQUE INDEX users_tenant_upn_idx ON users (tenant_id, lower(user_principal_name));

CREATE TABLE applications (
    id                         TEXT PRIMARY KEY,
    tenant_id                  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name               TEXT NOT NULL DEFAULT '',
    public                     BOOLEAN NOT NULL DEFAULT 0,
    first_party                BOOLEAN NOT NULL DEFAULT 0,
    redirect_uris              TEXT NOT NULL DEFAULT '[]',
    post_logout_redirect_uris  TEXT NOT NULL DEFAULT '[]',
    grant_types                TEXT NOT NULL DEFAULT '[]',
    scopes                     TEXT NOT NULL DEFAULT '[]',
    token_endpoint_auth_method TEXT NOT NULL DEFAULT '',
    jwks                       TEXT NOT NULL DEFAULT '',
    signing_alg                TEXT NOT NULL DEFAULT '',
    subject_salt               BLOB,
    created_at                 DATETIME NOT NULL,
    updated_at                 DATETIME NOT NULL
);
CREATE INDEX applications_tenant_id_idx ON applications (tenant_id);

CREATE TABLE client_secrets (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    hint           TEXT NOT NULL DEFAULT '',
    digest         BLOB NOT NULL,
    created_at     DATETIME NOT NULL,
    expires_at     DATETIME
);
CREATE INDEX client_secrets_application_id_idx ON client_secrets (application_id);

CREATE TABLE signing_keys (
    id                     TEXT PRIMARY KEY,
    tenant_id              TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    algorithm              TEXT NOT NULL,
    state                  TEXT NOT NULL,
    private_key_ciphertext BLOB NOT NULL,
    public_jwk             BLOB NOT NULL,
    created_at             DATETIME NOT NULL,
    activated_at           DATETIME,
    retired_at             DATETIME
);
CREATE INDEX signing_keys_tenant_created_idx ON signing_keys (tenant_id, created_at);

CREATE TABLE oauth_records (
    kind             TEXT NOT NULL,
    signature        TEXT NOT NULL,
    request_id       TEXT NOT NULL,
    tenant_id        TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id        TEXT NOT NULL,
    subject          TEXT NOT NULL DEFAULT '',
    session_id       TEXT NOT NULL DEFAULT '',
    access_signature TEXT NOT NULL DEFAULT '',
    active           BOOLEAN NOT NULL DEFAULT 1,
    data             BLOB,
    requested_at     DATETIME NOT NULL,
    expires_at       DATETIME NOT NULL,
    PRIMARY KEY (kind, signature)
);
CREATE INDEX oauth_records_request_id_idx ON oauth_records (request_id);
CREATE INDEX oauth_records_session_id_idx ON oauth_records (session_id);
CREATE INDEX oauth_records_expires_at_idx ON oauth_records (expires_at);
CREATE INDEX oauth_records_tenant_id_idx ON oauth_records (tenant_id);

CREATE TABLE used_jtis (
    jti        TEXT PRIMARY KEY,
    expires_at DATETIME NOT NULL
);
CREATE INDEX used_jtis_expires_at_idx ON used_jtis (expires_at);

CREATE TABLE flows (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id      TEXT NOT NULL,
    authorize_form TEXT NOT NULL DEFAULT '',
    step           TEXT NOT NULL DEFAULT '',
    step_nonce     TEXT NOT NULL DEFAULT '',
    prompt         TEXT NOT NULL DEFAULT '',
    max_age        INTEGER NOT NULL DEFAULT -1,
    login_hint     TEXT NOT NULL DEFAULT '',
    user_id        TEXT NOT NULL DEFAULT '',
    session_id     TEXT NOT NULL DEFAULT '',
    auth_time      DATETIME,
    amr            TEXT NOT NULL DEFAULT '[]',
    granted_scopes TEXT NOT NULL DEFAULT '[]',
    failures       INTEGER NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    expires_at     DATETIME NOT NULL
);
CREATE INDEX flows_tenant_id_idx ON flows (tenant_id);
CREATE INDEX flows_expires_at_idx ON flows (expires_at);

CREATE TABLE browser_sessions (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    auth_time  DATETIME NOT NULL,
    amr        TEXT NOT NULL DEFAULT '[]',
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    revoked_at DATETIME
);
CREATE INDEX browser_sessions_tenant_id_idx ON browser_sessions (tenant_id);
CREATE INDEX browser_sessions_user_id_idx ON browser_sessions (user_id);
CREATE INDEX browser_sessions_expires_at_idx ON browser_sessions (expires_at);

CREATE TABLE consents (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    scopes     TEXT NOT NULL DEFAULT '[]',
    granted_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, user_id, client_id)
);
CREATE INDEX consents_user_id_idx ON consents (user_id);
CREATE INDEX consents_client_id_idx ON consents (client_id);

-- +goose Down
DROP TABLE consents;
DROP TABLE browser_sessions;
DROP TABLE flows;
DROP TABLE used_jtis;
DROP TABLE oauth_records;
DROP TABLE signing_keys;
DROP TABLE client_secrets;
DROP TABLE applications;
DROP TABLE users;
DROP TABLE domains;
DROP TABLE tenants;
