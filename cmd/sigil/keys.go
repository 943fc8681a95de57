package main

import (
	"context"
	"strings"

	"github.com/sigil-idp/sigil/server/keys"
)

var keysCommands = []command{
	{"rotate", "rotate a tenant's signing keys (with overlap)", runKeysRotate},
}

func runKeys(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil keys", keysCommands, args)
}

// rotationJSON is the stable JSON shape of one algorithm's rotation.
type rotationJSON struct {
	Algorithm string   `json:"algorithm"`
	Activated string   `json:"activated"`
	Next      string   `json:"next"`
	Retired   []string `json:"retired"`
	Deleted   []string `json:"deleted"`
}

func runKeysRotate(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("keys rotate", "--tenant T [flags]",
		"Rotate the tenant's signing keys: the next key (already published) starts signing,\n"+
			"the active key is retired but stays published until its tokens expire, and a new\n"+
			"next key is generated. Running replicas notice within a minute.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	result, err := a.keys.Rotate(ctx, id)
	if err != nil {
		return err
	}
	rows := rotationRows(result)
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ALG", "ACTIVE", "NEXT", "RETIRED", "DELETED"}, func(i int) []string {
		r := rows[i]
		return []string{r.Algorithm, r.Activated, r.Next, listOrDash(r.Retired), listOrDash(r.Deleted)}
	})
}

func rotationRows(result keys.RotationResult) []rotationJSON {
	rows := make([]rotationJSON, 0, len(result.Algorithms))
	for _, r := range result.Algorithms {
		rows = append(rows, rotationJSON{Algorithm: r.Algorithm, Activated: r.Activated, Next: r.Next,
			Retired: nonNil(r.Retired), Deleted: nonNil(r.Deleted)})
	}
	return rows
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func listOrDash(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ",")
}
