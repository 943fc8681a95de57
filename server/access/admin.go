package access

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/storage"
)

// Admin changes a tenant's Conditional Access configuration: every change is
// validated, checked against the guardrails and audited in its transaction.
// Callers decide who may call it (server/admin's permission table).
type Admin struct {
	Store storage.Storage
	Roles *directory.Roles
	Now   func() time.Time
}

// RefusedError is a change the rules refuse, with the reason for a 400.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func (a *Admin) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// Policies lists the tenant's policies.
func (a *Admin) Policies(ctx context.Context, tenantID string) ([]policy.Policy, error) {
	return StoreConfig{Store: a.Store}.policies(ctx, tenantID)
}

func (c StoreConfig) policies(ctx context.Context, tenantID string) ([]policy.Policy, error) {
	cfg, err := c.Config(ctx, tenantID)
	return cfg.Policies, err
}

// Policy returns one policy (storage.ErrNotFound when absent).
func (a *Admin) Policy(ctx context.Context, tenantID, id string) (policy.Policy, error) {
	row, err := a.Store.GetConditionalAccessPolicy(ctx, tenantID, id)
	if err != nil {
		return policy.Policy{}, err
	}
	return DecodePolicy(*row)
}

// CreatePolicy validates and stores a new policy. force accepts the risk the
// lockout guardrail reports.
func (a *Admin) CreatePolicy(ctx context.Context, tenant *storage.Tenant, p policy.Policy, force bool) (policy.Policy, error) {
	p.ID = newUUID()
	var out policy.Policy
	err := a.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = a.savePolicy(ctx, tenant, p, nil, force)
		return err
	})
	return out, err
}

// UpdatePolicy applies a Graph PATCH body (top-level properties replace,
// conditions merge one level deeper) and stores the result.
func (a *Admin) UpdatePolicy(ctx context.Context, tenant *storage.Tenant, id string, patch []byte, force bool) (policy.Policy, error) {
	var out policy.Policy
	err := a.Store.InTx(ctx, func(ctx context.Context) error {
		before, err := a.Policy(ctx, tenant.ID, id)
		if err != nil {
			return err
		}
		merged, err := mergePatch(before, patch)
		if err != nil {
			return err
		}
		merged.ID, merged.CreatedDateTime = id, before.CreatedDateTime
		out, err = a.savePolicy(ctx, tenant, merged, &before, force)
		return err
	})
	return out, err
}

// mergePatch overlays a PATCH body on a policy.
func mergePatch(p policy.Policy, patch []byte) (policy.Policy, error) {
	var base, body map[string]json.RawMessage
	raw, _ := json.Marshal(p)
	_ = json.Unmarshal(raw, &base)
	if err := json.Unmarshal(patch, &body); err != nil {
		return policy.Policy{}, &RefusedError{Reason: "The request body is not a JSON object: " + err.Error()}
	}
	for k, v := range body {
		if k == "conditions" && base["conditions"] != nil {
			var cur, add map[string]json.RawMessage
			_ = json.Unmarshal(base["conditions"], &cur)
			if err := json.Unmarshal(v, &add); err != nil {
				return policy.Policy{}, &RefusedError{Reason: "conditions: not a JSON object"}
			}
			for ck, cv := range add {
				cur[ck] = cv
			}
			v, _ = json.Marshal(cur)
		}
		base[k] = v
	}
	merged, _ := json.Marshal(base)
	var out policy.Policy
	if err := json.Unmarshal(merged, &out); err != nil {
		return policy.Policy{}, &RefusedError{Reason: "The policy could not be read: " + err.Error()}
	}
	return out, nil
}

func (a *Admin) savePolicy(ctx context.Context, tenant *storage.Tenant, p policy.Policy, before *policy.Policy, force bool) (policy.Policy, error) {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	if err := policy.Validate(p); err != nil {
		return policy.Policy{}, err
	}
	if err := policy.CheckCoexistence(tenant.Settings.SecurityDefaults, p.State); err != nil {
		return policy.Policy{}, &RefusedError{Reason: err.Error()}
	}
	if err := a.checkReferences(ctx, tenant.ID, p); err != nil {
		return policy.Policy{}, err
	}
	if !force {
		admins, err := a.globalAdmins(ctx, tenant.ID)
		if err != nil {
			return policy.Policy{}, err
		}
		if err := policy.CheckLockout(p, admins); err != nil {
			return policy.Policy{}, &RefusedError{Reason: err.Error()}
		}
	}
	now := a.now()
	p.ModifiedDateTime = &now
	if p.CreatedDateTime == nil {
		p.CreatedDateTime = &now
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return policy.Policy{}, err
	}
	row := &storage.ConditionalAccessPolicy{ID: p.ID, TenantID: tenant.ID, DisplayName: p.DisplayName, State: p.State,
		Document: doc, CreatedAt: *p.CreatedDateTime, ModifiedAt: now}
	if err := a.Store.SaveConditionalAccessPolicy(ctx, row); err != nil {
		return policy.Policy{}, err
	}
	activity, op := "Add conditional access policy", storage.AuditAdd
	var old map[string]any
	if before != nil {
		activity, op, old = "Update conditional access policy", storage.AuditUpdate, policyAudit(*before)
	}
	if force {
		activity += " (lockout guardrail overridden)"
	}
	err = directory.Record(ctx, a.Store, now, directory.Change{TenantID: tenant.ID, Category: directory.CategoryPolicy,
		Activity: activity, Operation: op, TargetType: "Policy", TargetID: p.ID, TargetName: p.DisplayName,
		Modified: directory.Diff(old, policyAudit(p))})
	return p, err
}

// policyAudit is the audit view of a policy: its state and its document.
func policyAudit(p policy.Policy) map[string]any {
	p.CreatedDateTime, p.ModifiedDateTime = nil, nil
	doc, _ := json.Marshal(p.Conditions)
	grant, _ := json.Marshal(p.GrantControls)
	session, _ := json.Marshal(p.SessionControls)
	return map[string]any{"displayName": p.DisplayName, "state": p.State, "conditions": string(doc),
		"grantControls": string(grant), "sessionControls": string(session)}
}

// checkReferences refuses a policy naming a named location or terms of use
// that do not exist.
func (a *Admin) checkReferences(ctx context.Context, tenantID string, p policy.Policy) error {
	for _, id := range policy.ReferencedLocations(p) {
		if _, err := a.Store.GetNamedLocation(ctx, tenantID, id); errors.Is(err, storage.ErrNotFound) {
			return &RefusedError{Reason: fmt.Sprintf("conditions.locations: named location %s does not exist", id)}
		} else if err != nil {
			return err
		}
	}
	if g := p.GrantControls; g != nil {
		for _, id := range g.TermsOfUse {
			if _, err := a.Store.GetTermsOfUse(ctx, tenantID, id); errors.Is(err, storage.ErrNotFound) {
				return &RefusedError{Reason: fmt.Sprintf("grantControls.termsOfUse: terms of use %s do not exist", id)}
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}

// globalAdmins lists the users who hold Global Administrator now, with the
// groups and roles the guardrail matches policies against.
func (a *Admin) globalAdmins(ctx context.Context, tenantID string) ([]policy.Admin, error) {
	users, err := a.Store.ListUsers(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var admins []policy.Admin
	for _, u := range users {
		roles, err := a.Roles.EffectiveRoleIDs(ctx, tenantID, u.ID)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(roles, policy.RoleGlobalAdministrator) {
			continue
		}
		groups, err := a.Store.TransitiveGroupsOfUser(ctx, tenantID, u.ID)
		if err != nil {
			return nil, err
		}
		ad := policy.Admin{UserID: u.ID, Guest: u.UserType == storage.UserTypeGuest, RoleIDs: roles}
		for _, g := range groups {
			ad.GroupIDs = append(ad.GroupIDs, g.GroupID)
		}
		admins = append(admins, ad)
	}
	return admins, nil
}

// DeletePolicy removes a policy, audited.
func (a *Admin) DeletePolicy(ctx context.Context, tenantID, id string) error {
	return a.Store.InTx(ctx, func(ctx context.Context) error {
		p, err := a.Policy(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if err := a.Store.DeleteConditionalAccessPolicy(ctx, tenantID, id); err != nil {
			return err
		}
		return directory.Record(ctx, a.Store, a.now(), directory.Change{TenantID: tenantID, Category: directory.CategoryPolicy,
			Activity: "Delete conditional access policy", Operation: storage.AuditDelete, TargetType: "Policy", TargetID: id,
			TargetName: p.DisplayName, Modified: directory.Diff(policyAudit(p), nil)})
	})
}

// InstantiateTemplate creates a template's policy in report-only state.
func (a *Admin) InstantiateTemplate(ctx context.Context, tenant *storage.Tenant, templateID string) (policy.Policy, error) {
	for _, t := range policy.Templates() {
		if t.ID == templateID {
			return a.CreatePolicy(ctx, tenant, t.Policy, false)
		}
	}
	return policy.Policy{}, storage.ErrNotFound
}

// EnabledPolicies counts the tenant's enabled policies (security defaults
// cannot be turned on while there are any, F-17).
func (a *Admin) EnabledPolicies(ctx context.Context, tenantID string) (int, error) {
	rows, err := a.Store.ListConditionalAccessPolicies(ctx, tenantID)
	n := 0
	for _, r := range rows {
		if r.State == policy.StateEnabled {
			n++
		}
	}
	return n, err
}

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
