package migrate

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/databaselayer/internal/fakedb"
)

func newMigrator(t *testing.T) *Migrator {
	t.Helper()
	db, err := sql.Open(fakedb.DriverName, "migrate/"+t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db, nil, Options{}, Embedded())
}

func TestUpIsIdempotent(t *testing.T) {
	m := newMigrator(t)
	ctx := context.Background()
	n, err := m.Up(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(Embedded()) {
		t.Fatalf("applied %d, want %d", n, len(Embedded()))
	}
	if n, err = m.Up(ctx); err != nil || n != 0 {
		t.Fatalf("second Up applied %d (err %v), want 0", n, err)
	}
}

func TestStatusListsEveryMigration(t *testing.T) {
	m := newMigrator(t)
	var buf bytes.Buffer
	if err := m.Status(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\n"); got != len(Embedded()) {
		t.Fatalf("status has %d lines, want %d", got, len(Embedded()))
	}
}

func TestParseFileName(t *testing.T) {
	v, name, err := parseFileName("migrations/0007_add_index.sql")
	if err != nil || v != 7 || name != "add_index" {
		t.Fatalf("got %d %q %v", v, name, err)
	}
	if _, _, err := parseFileName("readme.sql"); err == nil {
		t.Fatal("expected an error for a file without a version")
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"0002_second.sql": "CREATE TABLE b (id INTEGER)",
		"0001_first.sql":  "CREATE TABLE a (id INTEGER)",
		"notes.txt":       "ignored",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Version != 1 {
		t.Fatalf("got %+v", ms)
	}
}
