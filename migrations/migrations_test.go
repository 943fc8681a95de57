package migrations

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var migrationName = regexp.MustCompile(`^(\d+)_[a-z0-9_]+\.sql$`)

// versions returns the version numbers of the migrations in dir, failing the test
// on a file whose name does not follow goose's "<version>_<name>.sql".
func versions(t *testing.T, dir string) []int64 {
	t.Helper()
	entries, err := fs.ReadDir(FS, dir)
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	var out []int64
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			t.Errorf("%s/%s: name is not <version>_<snake_name>.sql", dir, e.Name())
			continue
		}
		v, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			t.Fatalf("%s/%s: version: %v", dir, e.Name(), err)
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func TestDialectsShareVersionNumbers(t *testing.T) {
	sqlite := versions(t, DirSQLite)
	postgres := versions(t, DirPostgres)
	if len(sqlite) == 0 {
		t.Fatal("no sqlite migrations embedded")
	}
	if !slices.Equal(sqlite, postgres) {
		t.Fatalf("version numbers differ: sqlite %v, postgres %v", sqlite, postgres)
	}
	if c := slices.Compact(slices.Clone(sqlite)); len(c) != len(sqlite) {
		t.Fatalf("a version number is used twice: %v", sqlite)
	}
}

func TestEveryMigrationHasUpThenDown(t *testing.T) {
	for _, dir := range []string{DirSQLite, DirPostgres} {
		files, err := fs.Glob(FS, path.Join(dir, "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			body, err := fs.ReadFile(FS, name)
			if err != nil {
				t.Fatal(err)
			}
			text := string(body)
			up := strings.Index(text, "-- +goose Up")
			down := strings.Index(text, "-- +goose Down")
			switch {
			case up < 0:
				t.Errorf("%s: no '-- +goose Up' section", name)
			case down < 0:
				t.Errorf("%s: no '-- +goose Down' section", name)
			case down < up:
				t.Errorf("%s: Down section comes before Up", name)
			case strings.TrimSpace(text[down+len("-- +goose Down"):]) == "":
				t.Errorf("%s: Down section is empty", name)
			}
		}
	}
}
