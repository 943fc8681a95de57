package directory

import (
	"context"
	"errors"
	"strings"

	"github.com/sigil-idp/sigil/storage"
)

// Length limits of group fields, in characters (Graph's).
const (
	maxGroupDescription  = 1024
	maxMailNicknameChars = 64
)

// NewGroup is the input of CreateGroup (B-36).
type NewGroup struct {
	DisplayName  string
	Description  string
	MailNickname string // required for Microsoft 365 groups; defaults from the display name
	// Type is storage.GroupTypeSecurity (default) or storage.GroupTypeMicrosoft365.
	Type string
	// MembershipRule makes the group a Dynamic User group (B-07) when set.
	MembershipRule string
	// IsAssignableToRole can only be chosen here (C-08).
	IsAssignableToRole bool
}

// CreateGroup adds a group to the tenant. The actor becomes its first owner
// when they are a user of the tenant (B-30). A dynamic group's rule is
// evaluated at once.
func (s *Service) CreateGroup(ctx context.Context, actor Actor, tenantID string, in NewGroup) (*storage.Group, error) {
	if err := CheckCreateGroup(actor, in.IsAssignableToRole); err != nil {
		return nil, err
	}
	if in.MembershipRule != "" {
		if err := CheckEditRule(actor); err != nil {
			return nil, err
		}
	}
	if _, err := s.requireTenant(ctx, tenantID); err != nil {
		return nil, err
	}
	g, p := newGroupFrom(tenantID, in)
	if err := p.err(); err != nil {
		return nil, err
	}
	g.ID = newID()
	g.CreatedAt, g.UpdatedAt = s.now(), s.now()
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkGroupQuotas(ctx, g); err != nil {
			return err
		}
		if g.Dynamic() {
			if err := s.setRule(ctx, g, in.MembershipRule); err != nil {
				return err
			}
		}
		if err := s.Store.CreateGroup(ctx, g); err != nil {
			return err
		}
		if err := s.addCreatorAsOwner(ctx, actor, g); err != nil {
			return err
		}
		return s.record(ctx, groupChangeRecord("Add group", storage.AuditAdd, nil, g))
	})
	if err != nil {
		return nil, err
	}
	if g.Dynamic() {
		if _, err := s.ReevaluateGroup(ctx, tenantID, g.ID); err != nil {
			return g, err
		}
	}
	return g, nil
}

// addCreatorAsOwner makes a user actor the group's owner (B-30).
func (s *Service) addCreatorAsOwner(ctx context.Context, actor Actor, g *storage.Group) error {
	if actor.UserID == "" {
		return nil
	}
	err := s.Store.AddGroupOwner(ctx, g.TenantID, g.ID, actor.UserID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil // an actor from outside the tenant's directory (an operator)
	}
	return err
}

// newGroupFrom checks every field except the rule and builds the group.
func newGroupFrom(tenantID string, in NewGroup) (*storage.Group, problems) {
	var p problems
	g := &storage.Group{
		TenantID:           tenantID,
		DisplayName:        strings.TrimSpace(in.DisplayName),
		Description:        strings.TrimSpace(in.Description),
		MailNickname:       strings.TrimSpace(in.MailNickname),
		MembershipType:     storage.MembershipAssigned,
		IsAssignableToRole: in.IsAssignableToRole,
	}
	switch {
	case in.Type == "" || strings.EqualFold(in.Type, storage.GroupTypeSecurity):
		g.Type, g.SecurityEnabled = storage.GroupTypeSecurity, true
	case strings.EqualFold(in.Type, storage.GroupTypeMicrosoft365), strings.EqualFold(in.Type, "Unified"):
		g.Type, g.MailEnabled = storage.GroupTypeMicrosoft365, true
	default:
		p.add("groupType", "must be %s or %s", storage.GroupTypeSecurity, storage.GroupTypeMicrosoft365)
	}
	if strings.TrimSpace(in.MembershipRule) != "" {
		if in.IsAssignableToRole {
			p.add("membershipRule", "a role-assignable group must have Assigned membership; dynamic rules are not allowed (C-12)")
		}
		g.MembershipType, g.RuleProcessingState = storage.MembershipDynamic, storage.RuleProcessingOn
	}
	if g.MailNickname == "" {
		g.MailNickname = nicknameFrom(g.DisplayName)
	}
	checkGroupText(g, &p)
	return g, p
}

// checkGroupText validates the display name, description and mail nickname.
func checkGroupText(g *storage.Group, p *problems) {
	switch {
	case g.DisplayName == "":
		p.add("displayName", "is required")
	default:
		if msg := checkText(g.DisplayName, maxDisplayNameLength); msg != "" {
			p.add("displayName", "%s", msg)
		}
	}
	if msg := checkText(g.Description, maxGroupDescription); msg != "" {
		p.add("description", "%s", msg)
	}
	if msg := checkMailNickname(g.MailNickname); msg != "" {
		p.add("mailNickname", "%s", msg)
	}
}

// checkMailNickname applies Graph's rule: 1-64 ASCII characters without
// spaces or @ ( ) \ [ ] " ; : < > ,.
func checkMailNickname(nick string) string {
	switch {
	case nick == "":
		return "is required (letters and digits, for example sales-team)"
	case len(nick) > maxMailNicknameChars:
		return "must be at most 64 characters"
	case !isASCII(nick) || strings.ContainsAny(nick, " @()\\[]\";:<>,"):
		return "may contain only ASCII letters, digits and . - _ (no spaces or @ ( ) \\ [ ] \" ; : < > ,)"
	}
	return ""
}

// nicknameFrom derives a mail nickname from a display name.
func nicknameFrom(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		}
		if b.Len() == maxMailNicknameChars {
			break
		}
	}
	return b.String()
}

// checkGroupQuotas enforces the per-tenant limits for a new group (B-29, C-10).
func (s *Service) checkGroupQuotas(ctx context.Context, g *storage.Group) error {
	if g.IsAssignableToRole {
		n, err := s.Store.CountGroups(ctx, g.TenantID, storage.GroupCountFilter{AssignableToRole: true})
		if err != nil {
			return err
		}
		if n >= MaxRoleAssignableGroups {
			return groupRuleErrorf("C-10", "the tenant already has %d role-assignable groups, the most allowed", MaxRoleAssignableGroups)
		}
	}
	if g.Dynamic() {
		n, err := s.Store.CountGroups(ctx, g.TenantID, storage.GroupCountFilter{Dynamic: true})
		if err != nil {
			return err
		}
		if n >= MaxDynamicGroups {
			return groupRuleErrorf("B-29", "the tenant already has %d dynamic groups, the most allowed", MaxDynamicGroups)
		}
	}
	return nil
}
