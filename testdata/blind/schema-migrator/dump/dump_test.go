package dump

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"example.com/migrator/internal/fakedb"
)

func seed(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	fakedb.Reset(dsn)
	db, err := sql.Open(fakedb.DriverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE users (id INTEGER, email TEXT, note TEXT)"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		id    int
		email string
	}{{1, "ada@example.com"}, {2, "grace@example.com"}} {
		if _, err := db.ExecContext(ctx, "INSERT INTO users (id, email) VALUES (?, ?)", u.id, u.email); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestDumpRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := seed(t, "dump-roundtrip")
	dir := t.TempDir()
	d := NewDumper(db, dir, nil)
	if err := d.DumpTable(ctx, "users"); err != nil {
		t.Fatal(err)
	}
	if got := d.Counts()["users"]; got != 2 {
		t.Fatalf("dumped %d rows, want 2", got)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM users"); err != nil {
		t.Fatal(err)
	}
	r := NewRestorer(db, dir, nil)
	if err := r.RestoreTable(ctx, "users"); err != nil {
		t.Fatal(err)
	}
	n, err := r.count(ctx, "users")
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("restored %d rows, want 2", n)
	}
}

func TestWriteCSVGzReadBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lookup.csv.gz")
	records := [][]string{{"1", "admin"}, {"2", "viewer"}}
	if err := WriteCSVGz(path, []string{"id", "role"}, records); err != nil {
		t.Fatal(err)
	}
	got, err := readAll(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2][1] != "viewer" {
		t.Fatalf("read back %v", got)
	}
}

func TestArchiveAndExtract(t *testing.T) {
	ctx := context.Background()
	db := seed(t, "dump-archive")
	dir := t.TempDir()
	d := NewDumper(db, dir, nil)
	if err := d.DumpSet(ctx, []string{"users"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, manifestName), []byte("users\t2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "dump.tar.gz")
	if err := d.Archive(archive, []string{"users"}); err != nil {
		t.Fatal(err)
	}
	tables, err := extract(archive, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || tables[0] != "users" {
		t.Fatalf("extracted %v", tables)
	}
	counts, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if counts["users"] != 2 {
		t.Fatalf("manifest %v", counts)
	}
}
