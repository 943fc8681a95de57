package directory

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/sigil-idp/sigil/storage"
)

// UserProfile holds a user's profile and extension attributes (A-25, B-10,
// B-47), all usable in dynamic membership rules.
type UserProfile struct {
	Department    string
	JobTitle      string
	CompanyName   string
	EmployeeID    string
	City          string
	Country       string
	UsageLocation string // ISO 3166-1 alpha-2, e.g. "NO"
	MobilePhone   string
	OtherMails    []string
	// ExtensionAttributes are extensionAttribute1..15 (index 0 is 1).
	ExtensionAttributes [15]string
	// DirectoryExtensions are values of registered directory extension
	// attributes, by extension_<appid>_<name> name.
	DirectoryExtensions map[string]string
}

// Attribute limits (Graph's lengths; maxOtherMails is Sigil's).
const (
	maxShortAttribute     = 64 // department, companyName, mobilePhone
	maxLongAttribute      = 128
	maxEmployeeID         = 16
	maxExtensionAttribute = 1024
	maxDirectoryExtension = 256
	maxOtherMails         = 50
)

var usageLocationPattern = regexp.MustCompile(`^[A-Z]{2}$`)

// applyProfile copies the profile onto u, trimmed and normalized.
func applyProfile(u *storage.User, in UserProfile) {
	u.Department, u.JobTitle = strings.TrimSpace(in.Department), strings.TrimSpace(in.JobTitle)
	u.CompanyName, u.EmployeeID = strings.TrimSpace(in.CompanyName), strings.TrimSpace(in.EmployeeID)
	u.City, u.Country = strings.TrimSpace(in.City), strings.TrimSpace(in.Country)
	u.UsageLocation = strings.ToUpper(strings.TrimSpace(in.UsageLocation))
	u.MobilePhone = strings.TrimSpace(in.MobilePhone)
	u.OtherMails = nil
	for _, m := range in.OtherMails {
		if m = strings.TrimSpace(m); m != "" {
			u.OtherMails = append(u.OtherMails, m)
		}
	}
	for i, v := range in.ExtensionAttributes {
		u.ExtensionAttributes[i] = strings.TrimSpace(v)
	}
	u.DirectoryExtensions = nil
	for name, v := range in.DirectoryExtensions {
		if v = strings.TrimSpace(v); v != "" {
			if u.DirectoryExtensions == nil {
				u.DirectoryExtensions = map[string]string{}
			}
			u.DirectoryExtensions[strings.ToLower(strings.TrimSpace(name))] = v
		}
	}
}

// profileOf returns u's profile attributes.
func profileOf(u *storage.User) UserProfile {
	p := UserProfile{
		Department: u.Department, JobTitle: u.JobTitle, CompanyName: u.CompanyName,
		EmployeeID: u.EmployeeID, City: u.City, Country: u.Country,
		UsageLocation: u.UsageLocation, MobilePhone: u.MobilePhone,
		OtherMails: append([]string(nil), u.OtherMails...), ExtensionAttributes: u.ExtensionAttributes,
		DirectoryExtensions: map[string]string{},
	}
	for k, v := range u.DirectoryExtensions {
		p.DirectoryExtensions[k] = v
	}
	return p
}

// checkProfile validates u's attributes; directory extensions must be
// registered in the tenant (defs) and match their data type (B-47).
func checkProfile(u *storage.User, defs []storage.ExtensionProperty, p *problems) {
	for _, f := range []struct {
		field, value string
		max          int
	}{
		{"department", u.Department, maxShortAttribute}, {"jobTitle", u.JobTitle, maxLongAttribute},
		{"companyName", u.CompanyName, maxShortAttribute}, {"employeeId", u.EmployeeID, maxEmployeeID},
		{"city", u.City, maxLongAttribute}, {"country", u.Country, maxLongAttribute},
		{"mobilePhone", u.MobilePhone, maxShortAttribute},
	} {
		if msg := checkText(f.value, f.max); msg != "" {
			p.add(f.field, "%s", msg)
		}
	}
	if u.UsageLocation != "" && !usageLocationPattern.MatchString(u.UsageLocation) {
		p.add("usageLocation", "must be a two-letter country code like NO or US")
	}
	if len(u.OtherMails) > maxOtherMails {
		p.add("otherMails", "must have at most %d addresses", maxOtherMails)
	}
	for i, m := range u.OtherMails {
		if msg := checkMail(m); msg != "" {
			p.add("otherMails["+strconv.Itoa(i)+"]", "%s", msg)
		}
	}
	for i, v := range u.ExtensionAttributes {
		if msg := checkText(v, maxExtensionAttribute); msg != "" {
			p.add("extensionAttribute"+strconv.Itoa(i+1), "%s", msg)
		}
	}
	checkDirectoryExtensions(u.DirectoryExtensions, defs, p)
}

// checkDirectoryExtensions checks each value against its registered definition.
func checkDirectoryExtensions(values map[string]string, defs []storage.ExtensionProperty, p *problems) {
	types := make(map[string]string, len(defs))
	for _, d := range defs {
		types[d.Name] = d.DataType
	}
	for name, v := range values {
		typ, ok := types[name]
		switch {
		case !ok:
			p.add(name, "is not a directory extension registered in this tenant")
		case typ == storage.ExtensionTypeBoolean && v != "true" && v != "false":
			p.add(name, "must be true or false")
		case typ == storage.ExtensionTypeInteger:
			if _, err := strconv.ParseInt(v, 10, 32); err != nil {
				p.add(name, "must be a whole number")
			}
		default:
			if msg := checkText(v, maxDirectoryExtension); msg != "" {
				p.add(name, "%s", msg)
			}
		}
	}
}
