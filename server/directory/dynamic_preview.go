package directory

import (
	"context"
	"maps"
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// RulePreview is the result of a dry run: which users a rule would add to
// and remove from the group, by ID, sorted.
type RulePreview struct {
	Rule    string // canonical form
	Add     []string
	Remove  []string
	Members int // members after applying the rule
}

// PreviewRule validates ruleText and reports, without writing anything,
// which users it would add and remove for the group (or, with groupID "",
// for a new group). Converting an Assigned group removes its current
// members first (B-12), so they show as removed unless the rule selects them.
func (s *Service) PreviewRule(ctx context.Context, tenantID, groupID, ruleText string) (RulePreview, error) {
	g := &storage.Group{TenantID: tenantID, MembershipType: storage.MembershipDynamic}
	if groupID != "" {
		var err error
		if g, err = s.GetGroup(ctx, tenantID, groupID); err != nil {
			return RulePreview{}, err
		}
	} else if _, err := s.requireTenant(ctx, tenantID); err != nil {
		return RulePreview{}, err
	}
	probe := *g
	if err := s.setRule(ctx, &probe, ruleText); err != nil {
		return RulePreview{}, err
	}
	wanted, err := s.wantedMembers(ctx, &probe)
	if err != nil {
		return RulePreview{}, err
	}
	var current map[string]bool
	if groupID != "" {
		members, err := s.Store.ListDirectUserMembers(ctx, tenantID, []string{g.ID})
		if err != nil {
			return RulePreview{}, err
		}
		current = setOf(members[g.ID])
	}
	preview := RulePreview{Rule: probe.MembershipRule, Members: len(wanted)}
	for _, c := range membershipDiff(g.ID, current, wanted) {
		if c.Add {
			preview.Add = append(preview.Add, c.UserID)
		} else {
			preview.Remove = append(preview.Remove, c.UserID)
		}
	}
	slices.Sort(preview.Add)
	slices.Sort(preview.Remove)
	return preview, nil
}

// wantedMembers computes the users g's rule selects, without writing.
func (s *Service) wantedMembers(ctx context.Context, g *storage.Group) (map[string]bool, error) {
	attribute, memberOf := compileRules([]storage.Group{*g})
	if len(memberOf) > 0 {
		members, err := s.Store.ListDirectUserMembers(ctx, g.TenantID, g.RuleSourceGroupIDs)
		if err != nil {
			return nil, err
		}
		wanted := map[string]bool{}
		for _, ids := range members {
			maps.Copy(wanted, setOf(ids))
		}
		return wanted, nil
	}
	wanted := map[string]bool{}
	after := ""
	for {
		page, err := s.Store.ListUsersPage(ctx, g.TenantID, after, userPageSize)
		if err != nil || len(page) == 0 {
			return wanted, err
		}
		for i := range page {
			if attribute[0].rule.Evaluate(userSubject{u: &page[i]}) {
				wanted[page[i].ID] = true
			}
		}
		after = page[len(page)-1].ID
	}
}
