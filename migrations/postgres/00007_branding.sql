-- Company branding (server/branding): one row per tenant, stage (draft or
-- published) and localization (locale '' is the default branding), holding
-- the organizationalBranding JSON document; and the uploaded images and
-- stylesheets it names, stored by content hash.

-- +goose Up
CREATE TABLE brandings (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    stage      TEXT NOT NULL,
    locale     TEXT NOT NULL DEFAULT '',
    elements   TEXT NOT NULL DEFAULT '{}',
    theme      TEXT NOT NULL DEFAULT '',
    preview_id TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, stage, locale)
);

CREATE TABLE branding_assets (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- +goose Down
DROP TABLE branding_assets;
DROP TABLE brandings;
