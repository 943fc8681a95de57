-- Users' profile and extension attributes; groups with direct memberships
-- (users and nested groups), owners, dynamic-rule state and memberOf sources;
-- directory extension definitions. Transitive membership is computed by one
-- recursive query over group_group_members (storage.GroupStore).

-- +goose Up
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN company_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN employee_id TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN usage_location TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN mobile_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN other_mails TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN proxy_addresses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN extension_attributes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN directory_extensions TEXT NOT NULL DEFAULT '{}';
CREATE INDEX users_tenant_id_id_idx ON users (tenant_id, id);

CREATE TABLE directory_groups (
    id                    TEXT PRIMARY KEY,
    tenant_id             TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name          TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    mail_nickname         TEXT NOT NULL DEFAULT '',
    mail                  TEXT NOT NULL DEFAULT '',
    group_type            TEXT NOT NULL,
    security_enabled      BOOLEAN NOT NULL DEFAULT 0,
    mail_enabled          BOOLEAN NOT NULL DEFAULT 0,
    membership_type       TEXT NOT NULL,
    membership_rule       TEXT NOT NULL DEFAULT '',
    rule_processing_state TEXT NOT NULL DEFAULT '',
    rule_processed_at     DATETIME,
    is_assignable_to_role BOOLEAN NOT NULL DEFAULT 0,
    created_at            DATETIME NOT NULL,
    updated_at            DATETIME NOT NULL
);
CREATE INDEX directory_groups_tenant_name_idx ON directory_groups (tenant_id, display_name);
CREATE INDEX directory_groups_tenant_membership_idx ON directory_groups (tenant_id, membership_type);

CREATE TABLE group_user_members (
    tenant_id  TEXT NOT NULL,
    group_id   TEXT NOT NULL REFERENCES directory_groups (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_user_members_user_idx ON group_user_members (user_id, group_id);

CREATE TABLE group_group_members (
    tenant_id      TEXT NOT NULL,
    group_id       TEXT NOT NULL REFERENCES directory_groups (id) ON DELETE CASCADE,
    child_group_id TEXT NOT NULL REFERENCES directory_groups (id) ON DELETE CASCADE,
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (group_id, child_group_id)
);
CREATE INDEX group_group_members_child_idx ON group_group_members (child_group_id, group_id);

CREATE TABLE group_owners (
    tenant_id  TEXT NOT NULL,
    group_id   TEXT NOT NULL REFERENCES directory_groups (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_owners_user_idx ON group_owners (user_id);

-- Source groups of memberOf rules; no foreign key on the source, so a deleted
-- source simply matches no one on the next evaluation (B-25).
CREATE TABLE group_rule_sources (
    tenant_id       TEXT NOT NULL,
    group_id        TEXT NOT NULL REFERENCES directory_groups (id) ON DELETE CASCADE,
    source_group_id TEXT NOT NULL,
    PRIMARY KEY (group_id, source_group_id)
);
CREATE INDEX group_rule_sources_source_idx ON group_rule_sources (tenant_id, source_group_id);

CREATE TABLE extension_properties (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    app_id     TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    data_type  TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- +goose Down
DROP TABLE extension_properties;
DROP TABLE group_rule_sources;
DROP TABLE group_owners;
DROP TABLE group_group_members;
DROP TABLE group_user_members;
DROP TABLE directory_groups;
DROP INDEX users_tenant_id_id_idx;
ALTER TABLE users DROP COLUMN directory_extensions;
ALTER TABLE users DROP COLUMN extension_attributes;
ALTER TABLE users DROP COLUMN proxy_addresses;
ALTER TABLE users DROP COLUMN other_mails;
ALTER TABLE users DROP COLUMN mobile_phone;
ALTER TABLE users DROP COLUMN usage_location;
ALTER TABLE users DROP COLUMN country;
ALTER TABLE users DROP COLUMN city;
ALTER TABLE users DROP COLUMN employee_id;
ALTER TABLE users DROP COLUMN company_name;
ALTER TABLE users DROP COLUMN job_title;
ALTER TABLE users DROP COLUMN department;
