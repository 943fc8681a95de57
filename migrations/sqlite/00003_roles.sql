-- Directory roles (custom role definitions, role assignments), PIM
-- eligibilities and activations, app roles, app role assignments and the
-- applications' "assignment required" flag (server/directory roles and app
-- roles). Principal IDs are users, groups or clients: no foreign key; the
-- triggers below remove a deleted principal's rows.

-- +goose Up
CREATE TABLE role_definitions (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    permissions  TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX role_definitions_name_idx ON role_definitions (tenant_id, lower(display_name));

CREATE TABLE role_assignments (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    role_definition_id TEXT NOT NULL,
    principal_id       TEXT NOT NULL,
    principal_type     TEXT NOT NULL,
    directory_scope_id TEXT NOT NULL,
    created_at         DATETIME NOT NULL
);
CREATE UNIQUE INDEX role_assignments_principal_idx
    ON role_assignments (tenant_id, principal_id, role_definition_id, directory_scope_id);
CREATE INDEX role_assignments_role_idx ON role_assignments (tenant_id, role_definition_id);

CREATE TABLE role_eligibilities (
    id                   TEXT PRIMARY KEY,
    tenant_id            TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    role_definition_id   TEXT NOT NULL,
    principal_id         TEXT NOT NULL,
    principal_type       TEXT NOT NULL,
    directory_scope_id   TEXT NOT NULL,
    max_duration_seconds BIGINT NOT NULL,
    approval_required    BOOLEAN NOT NULL DEFAULT 0,
    created_at           DATETIME NOT NULL
);
CREATE UNIQUE INDEX role_eligibilities_principal_idx
    ON role_eligibilities (tenant_id, principal_id, role_definition_id, directory_scope_id);
CREATE INDEX role_eligibilities_role_idx ON role_eligibilities (tenant_id, role_definition_id);

CREATE TABLE role_activations (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    eligibility_id     TEXT NOT NULL REFERENCES role_eligibilities (id) ON DELETE CASCADE,
    role_definition_id TEXT NOT NULL,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    justification      TEXT NOT NULL,
    duration_seconds   BIGINT NOT NULL,
    status             TEXT NOT NULL,
    requested_at       DATETIME NOT NULL,
    decided_by         TEXT NOT NULL DEFAULT '',
    decided_at         DATETIME,
    start_at           DATETIME,
    end_at             DATETIME
);
CREATE INDEX role_activations_user_idx ON role_activations (tenant_id, user_id, status, end_at);
CREATE INDEX role_activations_eligibility_idx ON role_activations (eligibility_id);

CREATE TABLE app_roles (
    id                   TEXT PRIMARY KEY,
    tenant_id            TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id            TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    value                TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    allowed_member_types TEXT NOT NULL,
    is_enabled           BOOLEAN NOT NULL DEFAULT 1,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);
CREATE UNIQUE INDEX app_roles_value_idx ON app_roles (client_id, value);

CREATE TABLE app_role_assignments (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    app_role_id    TEXT NOT NULL,
    principal_id   TEXT NOT NULL,
    principal_type TEXT NOT NULL,
    team_type      TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX app_role_assignments_principal_idx
    ON app_role_assignments (client_id, principal_id, app_role_id, team_type);
CREATE INDEX app_role_assignments_tenant_principal_idx ON app_role_assignments (tenant_id, principal_id);
CREATE INDEX app_role_assignments_role_idx ON app_role_assignments (client_id, app_role_id);

CREATE TABLE app_role_settings (
    client_id           TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    assignment_required BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX app_role_settings_tenant_idx ON app_role_settings (tenant_id);

-- A deleted user, group or client takes its role assignments, eligibilities
-- (and so its activations) and app role assignments with it.
-- +goose StatementBegin
CREATE TRIGGER users_delete_role_principal AFTER DELETE ON users
BEGIN
    DELETE FROM role_assignments WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
    DELETE FROM role_eligibilities WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
    DELETE FROM app_role_assignments WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER groups_delete_role_principal AFTER DELETE ON directory_groups
BEGIN
    DELETE FROM role_assignments WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
    DELETE FROM role_eligibilities WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
    DELETE FROM app_role_assignments WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_delete_role_principal AFTER DELETE ON applications
BEGIN
    DELETE FROM role_assignments WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
    DELETE FROM role_eligibilities WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
    DELETE FROM app_role_assignments WHERE tenant_id = OLD.tenant_id AND principal_id = OLD.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER applications_delete_role_principal;
DROP TRIGGER groups_delete_role_principal;
DROP TRIGGER users_delete_role_principal;
DROP TABLE app_role_settings;
DROP TABLE app_role_assignments;
DROP TABLE app_roles;
DROP TABLE role_activations;
DROP TABLE role_eligibilities;
DROP TABLE role_assignments;
DROP TABLE role_definitions;
