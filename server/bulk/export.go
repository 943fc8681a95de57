package bulk

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// safeCell keeps a spreadsheet from reading a value as a formula (CSV
// injection): a leading =, +, - or @ gets a quote in front.
func safeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func writeRows(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		for i := range r {
			r[i] = safeCell(r[i])
		}
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportUsers writes the tenant's users as CSV.
func (s *Service) ExportUsers(ctx context.Context, tenantID string, w io.Writer) error {
	users, err := s.Store.ListUsers(ctx, tenantID)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(users))
	for _, u := range users {
		rows = append(rows, []string{u.ID, u.UserPrincipalName, u.DisplayName, u.GivenName, u.Surname, u.Mail,
			strconv.FormatBool(u.AccountEnabled), u.UserType, u.CreatedAt.UTC().Format(time.RFC3339)})
	}
	return writeRows(w, []string{"id", "userPrincipalName", "displayName", "givenName", "surname", "mail", "accountEnabled",
		"userType", "createdDateTime"}, rows)
}

// ExportGroups writes the tenant's groups as CSV.
func (s *Service) ExportGroups(ctx context.Context, tenantID string, w io.Writer) error {
	groups, err := s.Store.ListGroups(ctx, tenantID)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(groups))
	for _, g := range groups {
		rows = append(rows, []string{g.ID, g.DisplayName, g.Description, g.Type, g.MembershipType,
			strconv.FormatBool(g.SecurityEnabled), strconv.FormatBool(g.IsAssignableToRole), g.MembershipRule})
	}
	return writeRows(w, []string{"id", "displayName", "description", "groupType", "membershipType", "securityEnabled",
		"isAssignableToRole", "membershipRule"}, rows)
}

// ExportMembers writes a group's direct members as CSV.
func (s *Service) ExportMembers(ctx context.Context, tenantID, groupID string, w io.Writer) error {
	if _, err := s.Directory.GetGroup(ctx, tenantID, groupID); err != nil {
		return err
	}
	members, err := s.Store.ListGroupMembers(ctx, tenantID, groupID)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(members))
	for _, m := range members {
		name, upn := "", ""
		if m.Type == storage.MemberTypeUser {
			if u, err := s.Store.GetUser(ctx, tenantID, m.ID); err == nil {
				name, upn = u.DisplayName, u.UserPrincipalName
			}
		} else if g, err := s.Store.GetGroup(ctx, tenantID, m.ID); err == nil {
			name = g.DisplayName
		}
		rows = append(rows, []string{m.ID, m.Type, name, upn})
	}
	return writeRows(w, []string{"id", "memberType", "displayName", "userPrincipalName"}, rows)
}

// WriteResults writes a job's row results as CSV.
func (s *Service) WriteResults(ctx context.Context, tenantID, jobID string, w io.Writer) error {
	results, err := s.Store.ListBulkRows(ctx, tenantID, jobID)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(results))
	for _, r := range results {
		status := "failure"
		if r.OK {
			status = "success"
		}
		rows = append(rows, []string{strconv.Itoa(r.Row), status, r.ObjectID, r.Error})
	}
	return writeRows(w, []string{"rowNumber", "status", "objectId", "error"}, rows)
}
