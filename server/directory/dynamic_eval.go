package directory

import (
	"context"
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// userPageSize is how many users a bulk evaluation reads per query.
const userPageSize = 5000

// Reevaluation counts what a re-evaluation did.
type Reevaluation struct {
	Groups  int // dynamic groups evaluated
	Users   int // users read
	Added   int
	Removed int
}

func (r *Reevaluation) count(changes []storage.MembershipChange) {
	for _, c := range changes {
		if c.Add {
			r.Added++
		} else {
			r.Removed++
		}
	}
}

// ReevaluateTenant evaluates every dynamic group of the tenant whose
// processing is On against every user: attribute rules first (users read in
// pages, each rule applied to each user in memory), then memberOf rules from
// the updated source memberships. Only the differences from the current
// membership are written, in batches, in one transaction.
func (s *Service) ReevaluateTenant(ctx context.Context, tenantID string) (Reevaluation, error) {
	var stats Reevaluation
	if _, err := s.requireTenant(ctx, tenantID); err != nil {
		return stats, err
	}
	groups, err := s.Store.ListDynamicGroups(ctx, tenantID)
	if err != nil {
		return stats, err
	}
	attribute, memberOf := compileRules(groups)
	stats.Groups = len(attribute) + len(memberOf)
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.applyAttributeRules(ctx, tenantID, attribute, &stats); err != nil {
			return err
		}
		for _, c := range memberOf {
			if err := s.applyMemberOfRule(ctx, c.group, &stats); err != nil {
				return err
			}
		}
		return s.markProcessed(ctx, groups)
	})
	return stats, err
}

// applyAttributeRules evaluates the rules against every user of the tenant
// and writes the differences.
func (s *Service) applyAttributeRules(ctx context.Context, tenantID string, rules []compiledRule, stats *Reevaluation) error {
	if len(rules) == 0 {
		return nil
	}
	ids := make([]string, len(rules))
	for i, c := range rules {
		ids[i] = c.group.ID
	}
	current, err := s.Store.ListDirectUserMembers(ctx, tenantID, ids)
	if err != nil {
		return err
	}
	wanted := make([]map[string]bool, len(rules))
	for i := range wanted {
		wanted[i] = map[string]bool{}
	}
	after := ""
	for {
		page, err := s.Store.ListUsersPage(ctx, tenantID, after, userPageSize)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		stats.Users += len(page)
		for u := range page {
			subject := userSubject{u: &page[u]}
			for i, c := range rules {
				if c.rule.Evaluate(subject) {
					wanted[i][page[u].ID] = true
				}
			}
		}
		after = page[len(page)-1].ID
	}
	var changes []storage.MembershipChange
	for i, c := range rules {
		changes = append(changes, membershipDiff(c.group.ID, setOf(current[c.group.ID]), wanted[i])...)
	}
	stats.count(changes)
	return s.Store.ApplyMembershipChanges(ctx, tenantID, changes)
}

// applyMemberOfRule sets a memberOf group's members to the direct user
// members of its sources (B-17), writing only the differences.
func (s *Service) applyMemberOfRule(ctx context.Context, g *storage.Group, stats *Reevaluation) error {
	members, err := s.Store.ListDirectUserMembers(ctx, g.TenantID, append([]string{g.ID}, g.RuleSourceGroupIDs...))
	if err != nil {
		return err
	}
	wanted := map[string]bool{}
	for _, src := range g.RuleSourceGroupIDs {
		for _, id := range members[src] {
			wanted[id] = true
		}
	}
	changes := membershipDiff(g.ID, setOf(members[g.ID]), wanted)
	stats.count(changes)
	return s.Store.ApplyMembershipChanges(ctx, g.TenantID, changes)
}

// markProcessed stamps the groups' RuleProcessedAt.
func (s *Service) markProcessed(ctx context.Context, groups []storage.Group) error {
	now := s.now()
	for i := range groups {
		groups[i].RuleProcessedAt = &now
		if err := s.Store.UpdateGroup(ctx, &groups[i]); err != nil {
			return err
		}
	}
	return nil
}

// ReevaluateGroup evaluates one dynamic group against every user, then the
// memberOf groups that name it as a source. A paused or assigned group is
// left alone.
func (s *Service) ReevaluateGroup(ctx context.Context, tenantID, groupID string) (Reevaluation, error) {
	var stats Reevaluation
	g, err := s.GetGroup(ctx, tenantID, groupID)
	if err != nil || !g.Dynamic() || g.RuleProcessingState != storage.RuleProcessingOn {
		return stats, err
	}
	attribute, memberOf := compileRules([]storage.Group{*g})
	stats.Groups = 1
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.applyAttributeRules(ctx, tenantID, attribute, &stats); err != nil {
			return err
		}
		for _, c := range memberOf {
			if err := s.applyMemberOfRule(ctx, c.group, &stats); err != nil {
				return err
			}
		}
		return s.markProcessed(ctx, []storage.Group{*g})
	})
	if err != nil || stats.Added+stats.Removed == 0 {
		return stats, err
	}
	return stats, s.ReevaluateSource(ctx, tenantID, g.ID)
}

// ReevaluateSource re-evaluates only the memberOf groups whose rule names
// the source group, after its direct user membership changed (B-17, B-25).
func (s *Service) ReevaluateSource(ctx context.Context, tenantID, sourceGroupID string) error {
	groups, err := s.Store.ListGroupsByRuleSource(ctx, tenantID, sourceGroupID)
	if err != nil || len(groups) == 0 {
		return err
	}
	var stats Reevaluation
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		for i := range groups {
			if !groups[i].Dynamic() || groups[i].RuleProcessingState != storage.RuleProcessingOn {
				continue
			}
			if err := s.applyMemberOfRule(ctx, &groups[i], &stats); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReevaluateUser re-checks one user against every dynamic rule of the
// tenant after their attributes changed (B-08): attribute rules first, then
// memberOf rules from the user's updated direct memberships.
func (s *Service) ReevaluateUser(ctx context.Context, tenantID, userID string) (Reevaluation, error) {
	var stats Reevaluation
	u, err := s.Store.GetUser(ctx, tenantID, userID)
	if err != nil {
		return stats, mapNotFound(err, ErrUserNotFound)
	}
	groups, err := s.Store.ListDynamicGroups(ctx, tenantID)
	if err != nil || len(groups) == 0 {
		return stats, err
	}
	attribute, memberOf := compileRules(groups)
	stats.Groups, stats.Users = len(groups), 1
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		direct, err := s.Store.ListUserGroupIDs(ctx, tenantID, u.ID)
		if err != nil {
			return err
		}
		in := setOf(direct)
		var changes []storage.MembershipChange
		for _, c := range attribute {
			changes = append(changes, userChange(c.group.ID, u.ID, in, c.rule.Evaluate(userSubject{u: u}))...)
		}
		for _, c := range changes {
			in[c.GroupID] = c.Add
		}
		for _, c := range memberOf {
			match := slices.ContainsFunc(c.group.RuleSourceGroupIDs, func(id string) bool { return in[id] })
			changes = append(changes, userChange(c.group.ID, u.ID, in, match)...)
		}
		stats.count(changes)
		return s.Store.ApplyMembershipChanges(ctx, tenantID, changes)
	})
	return stats, err
}

// userChange returns the change that makes the user's membership of the
// group equal want, if any.
func userChange(groupID, userID string, in map[string]bool, want bool) []storage.MembershipChange {
	if in[groupID] == want {
		return nil
	}
	return []storage.MembershipChange{{GroupID: groupID, UserID: userID, Add: want}}
}
