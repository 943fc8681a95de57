-- Authentication methods (server/mfa): registered methods per user, recovery
-- codes, per-user MFA state, and the authentication context reference of
-- flows and browser sessions.

-- +goose Up
CREATE TABLE auth_methods (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    handle         TEXT NOT NULL DEFAULT '',
    secret         BLOB NOT NULL,
    confirmed      BOOLEAN NOT NULL DEFAULT 0,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    last_used_at   DATETIME
);
CREATE INDEX auth_methods_user_idx ON auth_methods (tenant_id, user_id);
CREATE UNIQUE INDEX auth_methods_handle_idx ON auth_methods (tenant_id, kind, handle) WHERE handle <> '';

CREATE TABLE recovery_codes (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest     BLOB NOT NULL,
    created_at DATETIME NOT NULL,
    used_at    DATETIME
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (tenant_id, user_id);

CREATE TABLE mfa_states (
    tenant_id             TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id               TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    registration_required BOOLEAN NOT NULL DEFAULT 0,
    failures              INTEGER NOT NULL DEFAULT 0,
    last_failure_at       DATETIME,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX mfa_states_user_id_idx ON mfa_states (user_id);

ALTER TABLE flows ADD COLUMN acr TEXT NOT NULL DEFAULT '';
ALTER TABLE browser_sessions ADD COLUMN acr TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE browser_sessions DROP COLUMN acr;
ALTER TABLE flows DROP COLUMN acr;
DROP TABLE mfa_states;
DROP TABLE recovery_codes;
DROP TABLE auth_methods;
