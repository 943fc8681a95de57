package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sigil-idp/sigil/server/bulk"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var bulkCommands = []command{
	{"import", "run a CSV upload (createUsers, deleteUsers, addMembers, removeMembers) and write the per-row results", runBulkImport},
	{"export", "write users, groups or a group's members as CSV", runBulkExport},
}

func runBulk(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil bulk", bulkCommands, args)
}

// runBulkImport submits the file as a bulk job and processes it here, with
// the same service the server's worker uses (CLI parity, K-01).
func runBulkImport(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("bulk import", "--tenant T --operation O [--group G] --file F [flags]",
		"Run a bulk upload and write its per-row results as CSV to stdout. Columns: see server/bulk.\n"+
			"Operations: createUsers, deleteUsers, addMembers, removeMembers (these two need --group).")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	operation := f.fs.String("operation", "", "createUsers, deleteUsers, addMembers or removeMembers (required)")
	group := f.fs.String("group", "", "group ID for addMembers and removeMembers")
	file := f.fs.String("file", "", "the CSV file (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"operation": operation, "file": file})
	if err != nil {
		return err
	}
	defer a.close()
	data, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	svc := &bulk.Service{Store: a.store, Directory: a.dir}
	who := bulk.Submitter{Actor: operator, Audit: directory.AuditActor{Type: storage.AuditActorSystem, Name: "sigil bulk import"}}
	job, err := svc.Submit(ctx, id, *operation, *group, data, who)
	if err != nil {
		return err
	}
	for {
		done, err := a.store.GetBulkJob(ctx, id, job.ID)
		if err != nil {
			return err
		}
		if done.Status == storage.BulkCompleted {
			fmt.Fprintf(c.stderr, "bulk job %s: %d rows, %d succeeded, %d failed\n", job.ID, done.TotalRows, done.Succeeded, done.Failed)
			return svc.WriteResults(ctx, id, job.ID, c.stdout)
		}
		if _, err := svc.Work(ctx); err != nil {
			return err
		}
	}
}

func runBulkExport(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("bulk export", "--tenant T --what users|groups|members [--group G] [flags]",
		"Write the tenant's users, groups or a group's direct members as CSV to stdout.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	what := f.fs.String("what", "", "users, groups or members (required)")
	group := f.fs.String("group", "", "group ID for members")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"what": what})
	if err != nil {
		return err
	}
	defer a.close()
	svc := &bulk.Service{Store: a.store, Directory: a.dir}
	switch *what {
	case "users":
		return svc.ExportUsers(ctx, id, c.stdout)
	case "groups":
		return svc.ExportGroups(ctx, id, c.stdout)
	case "members":
		return svc.ExportMembers(ctx, id, *group, c.stdout)
	}
	return usageErrorf("--what must be users, groups or members")
}
