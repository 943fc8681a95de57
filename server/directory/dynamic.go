package directory

import (
	"strconv"
	"strings"

	"github.com/sigil-idp/sigil/server/directory/rule"
	"github.com/sigil-idp/sigil/storage"
)

// userSubject presents a stored user to a rule without copying its
// attributes; groups are the user's direct memberships (B-17).
type userSubject struct {
	u      *storage.User
	groups map[string]bool
}

// Text returns a single-valued property by its canonical rule name.
func (s userSubject) Text(name string) string {
	u := s.u
	switch name {
	case "displayName":
		return u.DisplayName
	case "givenName":
		return u.GivenName
	case "surname":
		return u.Surname
	case "mail":
		return u.Mail
	case "userPrincipalName":
		return u.UserPrincipalName
	case "userType":
		return u.UserType
	case "department":
		return u.Department
	case "jobTitle":
		return u.JobTitle
	case "companyName":
		return u.CompanyName
	case "employeeId":
		return u.EmployeeID
	case "city":
		return u.City
	case "country":
		return u.Country
	case "usageLocation":
		return u.UsageLocation
	case "mobilePhone":
		return u.MobilePhone
	}
	if n, ok := strings.CutPrefix(name, "extensionAttribute"); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 1 && i <= 15 {
			return u.ExtensionAttributes[i-1]
		}
	}
	return u.DirectoryExtensions[name]
}

// Flag returns a boolean property.
func (s userSubject) Flag(name string) bool {
	return name == "accountEnabled" && s.u.AccountEnabled
}

// List returns a multi-valued property.
func (s userSubject) List(name string) []string {
	switch name {
	case "otherMails":
		return s.u.OtherMails
	case "proxyAddresses":
		return s.u.ProxyAddresses
	}
	return nil
}

// MemberOf reports direct membership of the group.
func (s userSubject) MemberOf(groupID string) bool { return s.groups[groupID] }

// compiledRule is a dynamic group with its parsed rule.
type compiledRule struct {
	group *storage.Group
	rule  *rule.Rule
}

// compileRules parses the rules of dynamic groups, skipping any that no
// longer parse (they were validated when set; a skipped group keeps its
// members rather than losing them all).
func compileRules(groups []storage.Group) (attribute, memberOf []compiledRule) {
	for i := range groups {
		r, err := rule.Parse(groups[i].MembershipRule)
		if err != nil {
			continue
		}
		c := compiledRule{group: &groups[i], rule: r}
		if len(r.MemberOfGroups()) > 0 {
			memberOf = append(memberOf, c)
		} else {
			attribute = append(attribute, c)
		}
	}
	return attribute, memberOf
}

// membershipDiff returns the changes that turn current into wanted for one
// group: additions and removals only, each at most once.
func membershipDiff(groupID string, current, wanted map[string]bool) []storage.MembershipChange {
	var out []storage.MembershipChange
	for id := range wanted {
		if !current[id] {
			out = append(out, storage.MembershipChange{GroupID: groupID, UserID: id, Add: true})
		}
	}
	for id := range current {
		if !wanted[id] {
			out = append(out, storage.MembershipChange{GroupID: groupID, UserID: id})
		}
	}
	return out
}

// setOf returns the strings as a set.
func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
