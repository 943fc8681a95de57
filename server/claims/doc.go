// Package claims turns directory facts into the group and role claims of a
// token: `groups`, `roles`, `wids`, the group overage claims
// `_claim_names`/`_claim_sources`, the app's optional claims and its requested
// extension attributes.
//
// It is a pure package: Build takes plain values (the application's claim
// Settings and the user's Facts, already loaded by server/directory's
// ClaimFacts) and returns a claims map. It must not read storage, speak HTTP,
// sign tokens or know fosite; server/op merges the map into its sessions.
//
// # groupMembershipClaims
//
// The seeds do not define claim formats (SEED-REQUIREMENTS "Not in the
// seeds"), so Sigil follows Entra's application manifest. The setting is a
// comma-separated set of these values:
//
//   - None: no `groups`, no `wids`.
//   - SecurityGroup: `groups` holds the security-enabled groups the user is a
//     transitive member of; `wids` holds the user's directory roles (Entra:
//     "security groups and Microsoft Entra roles").
//   - DirectoryRole: `wids` holds the directory role template IDs the user
//     holds (assigned directly, through a role-assignable group, or activated
//     through PIM and still active); `groups` is not emitted for it. Entra v1
//     tokens listed role object IDs in `groups`; Sigil issues v2 tokens only,
//     where roles travel in `wids`.
//   - ApplicationGroup: `groups` holds only the groups assigned to the
//     application (a group with an app role assignment, Default Access
//     included), of any type; no `wids`.
//   - All: every group (security and Microsoft 365) and `wids`.
//
// Memberships are transitive (B-05: Sigil reads "only members in the parent
// group have access" as members at any depth of the parent, which is Entra's
// behaviour for tokens).
//
// # Group form
//
// As in Entra's optionalClaims, the `groups` optional claim of a token type may
// carry additionalProperties: `sam_account_name` emits the on-premises
// sAMAccountName of synced groups (cloud groups keep their ID),
// `cloud_displayname` emits the display name of cloud-only groups, and
// `emit_as_roles` puts the groups in `roles` instead of `groups`.
//
// # Overage
//
// More than MaxJWTGroups groups do not fit a JWT: `groups` is then left out
// and `_claim_names: {"groups": "src1"}` with `_claim_sources: {"src1":
// {"endpoint": ...}}` point the relying party at the endpoint that returns the
// full list.
//
// # roles and optional claims
//
// `roles` holds the app role values of the user for the token's application,
// directly and through groups (D-01), de-duplicated and sorted. Optional
// claims come from a fixed catalogue (Catalogue) plus extension attributes
// (`extensionAttribute1`…`15`, `extension_<appId>_<name>`; E-12, J-38).
// Reserved claims (Reserved) can never be produced by an optional claim.
package claims
