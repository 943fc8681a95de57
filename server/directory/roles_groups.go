package directory

import (
	"context"

	"github.com/sigil-idp/sigil/storage"
)

// StoreGroups answers GroupFacts from the group store.
type StoreGroups struct {
	Store storage.GroupStore
}

// GroupInfo reads one group of the tenant.
func (g StoreGroups) GroupInfo(ctx context.Context, tenantID, groupID string) (GroupInfo, error) {
	grp, err := g.Store.GetGroup(ctx, tenantID, groupID)
	if err != nil {
		return GroupInfo{}, err
	}
	return GroupInfo{ID: grp.ID, DisplayName: grp.DisplayName, AssignableToRole: grp.IsAssignableToRole, Dynamic: grp.Dynamic()}, nil
}

// UserGroupLinks reads the user's direct memberships (with each group's
// isAssignableToRole) and ownerships: two indexed queries.
func (g StoreGroups) UserGroupLinks(ctx context.Context, tenantID, userID string) ([]GroupLink, error) {
	groups, err := g.Store.TransitiveGroupsOfUser(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	owned, err := g.Store.ListOwnedGroupIDs(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	links := make([]GroupLink, 0, len(groups)+len(owned))
	index := map[string]int{}
	for _, m := range groups {
		if m.Direct {
			index[m.GroupID] = len(links)
			links = append(links, GroupLink{GroupID: m.GroupID, Member: true, AssignableToRole: m.IsAssignableToRole})
		}
	}
	for _, id := range owned {
		if i, ok := index[id]; ok {
			links[i].Owner = true
			continue
		}
		links = append(links, GroupLink{GroupID: id, Owner: true})
	}
	return links, nil
}
