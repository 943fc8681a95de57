package directory

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/sigil-idp/sigil/server/directory/rule"
	"github.com/sigil-idp/sigil/storage"
)

// parseRule parses a rule, reporting a syntax error as a problem on
// membershipRule that keeps the position ("... at column 17").
func parseRule(text string) (*rule.Rule, error) {
	if strings.TrimSpace(text) == "" {
		var p problems
		p.add("membershipRule", "is required for a dynamic group")
		return nil, p.err()
	}
	r, err := rule.Parse(text)
	var syntax *rule.SyntaxError
	if errors.As(err, &syntax) {
		var p problems
		p.add("membershipRule", "%s", syntax.Error())
		return nil, p.err()
	}
	return r, err
}

// setRule validates text as g's rule, with the checks that need the
// directory (B-19, B-21), and stores its canonical form and sources on g.
func (s *Service) setRule(ctx context.Context, g *storage.Group, text string) error {
	r, err := parseRule(text)
	if err != nil {
		return err
	}
	sources := r.MemberOfGroups()
	if len(sources) > 0 {
		if err := s.checkMemberOfRule(ctx, g, sources); err != nil {
			return err
		}
	} else if err := s.checkNotSourceOfMemberOf(ctx, g, false); err != nil {
		return err
	}
	g.MembershipRule = r.String()
	g.RuleSourceGroupIDs = sources
	return nil
}

// checkMemberOfRule applies the memberOf limits that need the directory:
// every source exists in the tenant and is not itself a memberOf group
// (B-21), the group is not a source of another memberOf group (B-21), and the
// tenant stays within 500 memberOf groups (B-19). The parser has already
// enforced one to 50 sources (B-16, B-20) and no mixing (B-22, B-23).
func (s *Service) checkMemberOfRule(ctx context.Context, g *storage.Group, sources []string) error {
	if slices.Contains(sources, g.ID) {
		return groupRuleErrorf("B-21", "a memberOf rule cannot name the group itself as a source")
	}
	for _, id := range sources {
		src, err := s.Store.GetGroup(ctx, g.TenantID, id)
		if errors.Is(err, storage.ErrNotFound) {
			var p problems
			p.add("membershipRule", "names group %s, which does not exist in this tenant", id)
			return p.err()
		} else if err != nil {
			return err
		}
		if src.UsesMemberOf() {
			return groupRuleErrorf("B-21", "%q is itself a memberOf dynamic group and cannot be a source of another memberOf group", src.DisplayName)
		}
	}
	if err := s.checkNotSourceOfMemberOf(ctx, g, true); err != nil {
		return err
	}
	if g.UsesMemberOf() {
		return nil // the group already counts towards the limit
	}
	n, err := s.Store.CountGroups(ctx, g.TenantID, storage.GroupCountFilter{UsesMemberOf: true})
	if err != nil {
		return err
	}
	if n >= MaxMemberOfGroups {
		return groupRuleErrorf("B-19", "the tenant already has %d dynamic groups using memberOf, the most allowed", MaxMemberOfGroups)
	}
	return nil
}

// checkNotSourceOfMemberOf refuses to give g a memberOf rule while another
// memberOf group names g as a source (B-21). It is a no-op for other rules.
func (s *Service) checkNotSourceOfMemberOf(ctx context.Context, g *storage.Group, memberOfRule bool) error {
	if !memberOfRule || g.ID == "" {
		return nil
	}
	users, err := s.Store.ListGroupsByRuleSource(ctx, g.TenantID, g.ID)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		return groupRuleErrorf("B-21", "%q is a source of the memberOf group %q, so it cannot use memberOf itself", g.DisplayName, users[0].DisplayName)
	}
	return nil
}

// SetMembershipRule makes the group dynamic with the rule, or changes its
// rule; an empty rule makes it Assigned again and keeps the current members.
// Converting an Assigned group removes all its members first, then
// evaluates the rule (B-12). Role-assignable groups stay Assigned (C-12).
func (s *Service) SetMembershipRule(ctx context.Context, actor Actor, tenantID, groupID, ruleText string) (*storage.Group, error) {
	if err := CheckEditRule(actor); err != nil {
		return nil, err
	}
	var g *storage.Group
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if g, err = s.GetGroup(ctx, tenantID, groupID); err != nil {
			return err
		}
		if strings.TrimSpace(ruleText) == "" {
			g.MembershipType, g.MembershipRule, g.RuleSourceGroupIDs, g.RuleProcessingState = storage.MembershipAssigned, "", nil, ""
			return s.Store.UpdateGroup(ctx, g)
		}
		if g.IsAssignableToRole {
			return groupRuleErrorf("C-12", "%q is role-assignable; its membership must stay Assigned", g.DisplayName)
		}
		return s.convertToDynamic(ctx, g, ruleText)
	})
	if err != nil || !g.Dynamic() {
		return g, err
	}
	_, err = s.ReevaluateGroup(ctx, tenantID, groupID)
	return g, err
}

// convertToDynamic validates the rule, removes every assigned member of a
// group that was Assigned (B-12) and stores the rule.
func (s *Service) convertToDynamic(ctx context.Context, g *storage.Group, ruleText string) error {
	if !g.Dynamic() {
		if err := s.checkGroupQuotas(ctx, &storage.Group{TenantID: g.TenantID, MembershipType: storage.MembershipDynamic}); err != nil {
			return err
		}
		members, err := s.Store.ListGroupMembers(ctx, g.TenantID, g.ID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if err := s.Store.RemoveGroupMember(ctx, g.TenantID, g.ID, m); err != nil {
				return err
			}
		}
	}
	if err := s.setRule(ctx, g, ruleText); err != nil {
		return err
	}
	g.MembershipType, g.RuleProcessingState = storage.MembershipDynamic, storage.RuleProcessingOn
	return s.Store.UpdateGroup(ctx, g)
}

// SetRuleProcessing pauses (on=false) or resumes a dynamic group's rule
// processing (Graph's membershipRuleProcessingState). A paused group keeps
// its members and is skipped by every re-evaluation; resuming evaluates it.
func (s *Service) SetRuleProcessing(ctx context.Context, actor Actor, tenantID, groupID string, on bool) (*storage.Group, error) {
	if err := CheckEditRule(actor); err != nil {
		return nil, err
	}
	g, err := s.GetGroup(ctx, tenantID, groupID)
	if err != nil {
		return nil, err
	}
	if !g.Dynamic() {
		return nil, groupRuleErrorf("B-07", "%q has Assigned membership; only a dynamic group's rule processing can be paused", g.DisplayName)
	}
	g.RuleProcessingState = storage.RuleProcessingPaused
	if on {
		g.RuleProcessingState = storage.RuleProcessingOn
	}
	if err := s.Store.UpdateGroup(ctx, g); err != nil {
		return nil, mapNotFound(err, ErrGroupNotFound)
	}
	if on {
		_, err = s.ReevaluateGroup(ctx, tenantID, g.ID)
	}
	return g, err
}
