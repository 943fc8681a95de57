-- Directory audit records (insert-only: a trigger refuses updates), the
-- tenants' authorization policies (default user permissions) and the admin
-- API's application permission grants (server/admin, server/directory).

-- +goose Up
CREATE TABLE audit_records (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    activity_date_time TIMESTAMPTZ NOT NULL,
    category           TEXT NOT NULL,
    activity           TEXT NOT NULL,
    operation_type     TEXT NOT NULL,
    result             TEXT NOT NULL,
    result_reason      TEXT NOT NULL DEFAULT '',
    correlation_id     TEXT NOT NULL DEFAULT '',
    actor_type         TEXT NOT NULL,
    actor_id           TEXT NOT NULL DEFAULT '',
    actor_name         TEXT NOT NULL DEFAULT '',
    target_type        TEXT NOT NULL,
    target_id          TEXT NOT NULL,
    target_name        TEXT NOT NULL DEFAULT '',
    modified           TEXT NOT NULL
);
CREATE INDEX audit_records_time_idx ON audit_records (tenant_id, activity_date_time, id);
CREATE INDEX audit_records_target_idx ON audit_records (tenant_id, target_id);
CREATE INDEX audit_records_correlation_idx ON audit_records (tenant_id, correlation_id);

-- +goose StatementBegin
CREATE FUNCTION audit_records_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records cannot be changed';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_records_insert_only BEFORE UPDATE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_update();

CREATE TABLE authorization_policies (
    tenant_id                         TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    allowed_to_create_apps            BOOLEAN NOT NULL,
    allowed_to_create_security_groups BOOLEAN NOT NULL,
    allowed_to_create_m365_groups     BOOLEAN NOT NULL,
    allowed_to_read_other_users       BOOLEAN NOT NULL,
    guest_access                      TEXT NOT NULL,
    allow_invites_from                TEXT NOT NULL,
    updated_at                        TIMESTAMPTZ NOT NULL
);

CREATE TABLE app_permission_grants (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, client_id, permission)
);

-- +goose Down
DROP TABLE app_permission_grants;
DROP TABLE authorization_policies;
DROP TRIGGER audit_records_insert_only ON audit_records;
DROP FUNCTION audit_records_refuse_update();
DROP TABLE audit_records;
