package bulk

import (
	"context"
	"strconv"
	"strings"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// columnIndex maps column names to their positions.
func columnIndex(header []string) map[string]int {
	cols := make(map[string]int, len(header))
	for i, h := range trimAll(header) {
		cols[h] = i
	}
	return cols
}

// field reads a column of a row ("" when the row is short or lacks it).
func field(cols map[string]int, fields []string, name string) string {
	i, ok := cols[name]
	if !ok || i >= len(fields) {
		return ""
	}
	return strings.TrimSpace(fields[i])
}

// apply makes one row's change and returns the object it concerns.
func (s *Service) apply(ctx context.Context, job *storage.BulkJob, actor directory.Actor, cols map[string]int, fields []string) (string, error) {
	get := func(name string) string { return field(cols, fields, name) }
	switch job.Kind {
	case KindCreateUsers:
		return s.createUser(ctx, job.TenantID, get)
	case KindDeleteUsers:
		return s.deleteUser(ctx, job.TenantID, get("userPrincipalName"))
	case KindAddMembers, KindRemoveMembers:
		return s.changeMember(ctx, job, actor, get("memberObjectIdOrUpn"))
	}
	return "", &RowError{Reason: "unknown operation " + job.Kind}
}

func (s *Service) createUser(ctx context.Context, tenantID string, get func(string) string) (string, error) {
	in := directory.NewUser{UserPrincipalName: get("userPrincipalName"), DisplayName: get("displayName"), Password: get("password"),
		GivenName: get("givenName"), Surname: get("surname"), Mail: get("mail"),
		Profile: directory.UserProfile{Department: get("department"), JobTitle: get("jobTitle"), UsageLocation: get("usageLocation")}}
	switch v := strings.ToLower(get("accountEnabled")); v {
	case "", "true", "yes":
	case "false", "no":
		in.Disabled = true
	default:
		return "", &RowError{Reason: "accountEnabled: " + strconv.Quote(v) + " is not true or false"}
	}
	if in.UserPrincipalName == "" || in.DisplayName == "" || in.Password == "" {
		return "", &RowError{Reason: "userPrincipalName, displayName and password are required"}
	}
	u, err := s.Directory.CreateUser(ctx, tenantID, in)
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

func (s *Service) deleteUser(ctx context.Context, tenantID, idOrUPN string) (string, error) {
	if idOrUPN == "" {
		return "", &RowError{Reason: "userPrincipalName is required"}
	}
	u, err := s.Directory.GetUser(ctx, tenantID, idOrUPN)
	if err != nil {
		return "", err
	}
	return u.ID, s.Directory.DeleteUser(ctx, tenantID, u.ID)
}

// changeMember adds or removes a user (by UPN or ID) or a group (by ID).
func (s *Service) changeMember(ctx context.Context, job *storage.BulkJob, actor directory.Actor, ref string) (string, error) {
	if ref == "" {
		return "", &RowError{Reason: "memberObjectIdOrUpn is required"}
	}
	member := storage.GroupMember{Type: storage.MemberTypeUser}
	if u, err := s.Directory.GetUser(ctx, job.TenantID, ref); err == nil {
		member.ID = u.ID
	} else if g, gerr := s.Directory.GetGroup(ctx, job.TenantID, ref); gerr == nil {
		member.ID, member.Type = g.ID, storage.MemberTypeGroup
	} else {
		return "", &RowError{Reason: "no user or group " + strconv.Quote(ref)}
	}
	if job.Kind == KindAddMembers {
		return member.ID, s.Directory.AddGroupMember(ctx, actor, job.TenantID, job.GroupID, member)
	}
	return member.ID, s.Directory.RemoveGroupMember(ctx, actor, job.TenantID, job.GroupID, member)
}
