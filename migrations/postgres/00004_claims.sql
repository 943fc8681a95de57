-- Claim settings of applications (server/claims): Entra's
-- groupMembershipClaims and optionalClaims (JSON, per token type).

-- +goose Up
ALTER TABLE applications ADD COLUMN group_membership_claims TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN optional_claims TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE applications DROP COLUMN optional_claims;
ALTER TABLE applications DROP COLUMN group_membership_claims;
