-- Passkeys (server/mfa/passkey): the single-use server-side state of WebAuthn
-- ceremonies. Credentials themselves are auth_methods of kind 'passkey'.
-- Number matching (server/mfa/approver): the sign-in requests waiting for an
-- approver device (devices are auth_methods of kind 'approver').

-- +goose Up
CREATE TABLE webauthn_sessions (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL DEFAULT '',
    data       BLOB NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE INDEX webauthn_sessions_expires_idx ON webauthn_sessions (expires_at);
CREATE INDEX webauthn_sessions_tenant_idx ON webauthn_sessions (tenant_id);

CREATE TABLE approval_requests (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    app_name   TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    decided_at DATETIME
);
CREATE INDEX approval_requests_user_idx ON approval_requests (tenant_id, user_id, state);
CREATE INDEX approval_requests_expires_idx ON approval_requests (expires_at);
CREATE INDEX approval_requests_user_id_idx ON approval_requests (user_id);

-- +goose Down
DROP TABLE approval_requests;
DROP TABLE webauthn_sessions;
