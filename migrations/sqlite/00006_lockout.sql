-- Smart lockout and password protection (server/lockout, server/password):
-- failed-password counters shared by every replica, the networks each user
-- last signed in from (what makes an address familiar), and each tenant's
-- custom banned-password list.

-- +goose Up
CREATE TABLE lockout_counters (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    counter_key  TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    lockouts     INTEGER NOT NULL DEFAULT 0,
    locked_until DATETIME,
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, counter_key)
);
CREATE INDEX lockout_counters_updated_idx ON lockout_counters (updated_at);

CREATE TABLE familiar_networks (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    network      TEXT NOT NULL,
    last_seen_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, user_id, network)
);

CREATE TABLE banned_passwords (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    term       TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, term)
);

-- +goose Down
DROP TABLE banned_passwords;
DROP TABLE familiar_networks;
DROP TABLE lockout_counters;
