-- Passkeys (server/mfa/passkey): the single-use server-side state of WebAuthn
-- ceremonies. Credentials themselves are auth_methods of kind 'passkey'.

-- +goose Up
CREATE TABLE webauthn_sessions (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL DEFAULT '',
    data       BYTEA NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webauthn_sessions_expires_idx ON webauthn_sessions (expires_at);
CREATE INDEX webauthn_sessions_tenant_idx ON webauthn_sessions (tenant_id);

-- +goose Down
DROP TABLE webauthn_sessions;
