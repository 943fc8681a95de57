package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var userCommands = []command{
	{"create", "create a user (password from stdin, or generated and shown once)", runUserCreate},
	{"list", "list a tenant's users", runUserList},
	{"delete", "delete a user", runUserDelete},
	{"set-password", "replace a user's password", runUserSetPassword},
	{"require-mfa-registration", "delete a user's MFA methods and make them register again", runUserRequireMFARegistration},
}

func runUser(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil user", userCommands, args)
}

// userJSON is the stable JSON shape of a user. Password is present only when
// Sigil generated it, in the one response that shows it.
type userJSON struct {
	ID                string    `json:"id"`
	TenantID          string    `json:"tenantId"`
	UserPrincipalName string    `json:"userPrincipalName"`
	DisplayName       string    `json:"displayName"`
	Mail              string    `json:"mail,omitempty"`
	UserType          string    `json:"userType"`
	AccountEnabled    bool      `json:"accountEnabled"`
	CreatedAt         time.Time `json:"createdAt"`
	Password          string    `json:"generatedPassword,omitempty"`
}

func toUserJSON(u storage.User) userJSON {
	return userJSON{ID: u.ID, TenantID: u.TenantID, UserPrincipalName: u.UserPrincipalName,
		DisplayName: u.DisplayName, Mail: u.Mail, UserType: u.UserType,
		AccountEnabled: u.AccountEnabled, CreatedAt: u.CreatedAt.UTC()}
}

// readPassword takes the first line of stdin (--password-stdin) or generates a
// password; generated reports which.
func readPassword(c *cli, fromStdin bool) (password string, generated bool, err error) {
	if !fromStdin {
		return credential.GeneratePassword(), true, nil
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", false, errors.New("--password-stdin: no password on standard input")
	}
	return line, false, nil
}

func runUserCreate(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("user create", "--tenant T --upn U [flags]",
		"Create a user. Without --password-stdin a password is generated and printed once.")
	var in directory.NewUser
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	f.fs.StringVar(&in.UserPrincipalName, "upn", "", "user principal name, name@<tenant domain> (required)")
	f.fs.StringVar(&in.DisplayName, "display-name", "", "display name (default: the UPN's local part)")
	f.fs.StringVar(&in.GivenName, "given-name", "", "given name")
	f.fs.StringVar(&in.Surname, "surname", "", "surname")
	f.fs.StringVar(&in.Mail, "mail", "", "email address")
	guest := f.fs.Bool("guest", false, "create a guest rather than a member")
	f.fs.BoolVar(&in.Disabled, "disabled", false, "create the account disabled")
	passwordStdin := f.fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"upn": &in.UserPrincipalName})
	if err != nil {
		return err
	}
	defer a.close()
	if *guest {
		in.UserType = storage.UserTypeGuest
	}
	var generated bool
	if in.Password, generated, err = readPassword(c, *passwordStdin); err != nil {
		return err
	}
	u, err := a.dir.CreateUser(ctx, id, in)
	if err != nil {
		return err
	}
	out := toUserJSON(*u)
	text := fmt.Sprintf("Created user %s\n  ID: %s\n", out.UserPrincipalName, out.ID)
	if generated {
		out.Password = in.Password
		text += fmt.Sprintf("  Generated password (shown only now; store it safely): %s\n", in.Password)
	}
	return a.out.write(a.stdout, out, text)
}

func runUserList(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("user list", "--tenant T [flags]", "List the tenant's users.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	users, err := a.dir.ListUsers(ctx, id)
	if err != nil {
		return err
	}
	rows := make([]userJSON, 0, len(users))
	for _, u := range users {
		rows = append(rows, toUserJSON(u))
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "UPN", "NAME", "TYPE", "ENABLED"}, func(i int) []string {
		r := rows[i]
		return []string{r.ID, r.UserPrincipalName, r.DisplayName, r.UserType, fmt.Sprint(r.AccountEnabled)}
	})
}

func runUserDelete(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("user delete", "--tenant T --user U [flags]", "Delete a user.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	user := f.fs.String("user", "", "user object ID or UPN (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"user": user})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.dir.DeleteUser(ctx, id, *user); err != nil {
		return fmt.Errorf("user %q: %w", *user, err)
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "user": *user},
		fmt.Sprintf("Deleted user %s\n", *user))
}

func runUserSetPassword(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("user set-password", "--tenant T --user U [flags]",
		"Replace a user's password. Without --password-stdin a password is generated and printed once.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	user := f.fs.String("user", "", "user object ID or UPN (required)")
	passwordStdin := f.fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"user": user})
	if err != nil {
		return err
	}
	defer a.close()
	password, generated, err := readPassword(c, *passwordStdin)
	if err != nil {
		return err
	}
	if err := a.dir.SetPassword(ctx, id, *user, password); err != nil {
		return fmt.Errorf("user %q: %w", *user, err)
	}
	out := map[string]any{"user": *user, "passwordChanged": true}
	text := fmt.Sprintf("Password of %s changed\n", *user)
	if generated {
		out["generatedPassword"] = password
		text += fmt.Sprintf("  Generated password (shown only now; store it safely): %s\n", password)
	}
	return a.out.write(a.stdout, out, text)
}
