package migrate

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"

	"example.com/migrator/internal/fakedb"
)

func newDB(t *testing.T) *sql.DB {
	t.Helper()
	dsn := "migrate-" + t.Name()
	fakedb.Reset(dsn)
	db, err := sql.Open(fakedb.DriverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		fakedb.Reset(dsn)
	})
	return db
}

// memLocker is an in-memory Locker for tests.
type memLocker struct {
	mu   sync.Mutex
	held map[string]bool
}

func (l *memLocker) Acquire(_ context.Context, name string) (func(), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held[name] {
		return nil, errors.New("held")
	}
	if l.held == nil {
		l.held = make(map[string]bool)
	}
	l.held[name] = true
	return func() {
		l.mu.Lock()
		delete(l.held, name)
		l.mu.Unlock()
	}, nil
}

func embeddedMigrations(t *testing.T) []Migration {
	t.Helper()
	src, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	migs, err := src.Load()
	if err != nil {
		t.Fatal(err)
	}
	return migs
}

func TestParseFilename(t *testing.T) {
	cases := []struct {
		name    string
		version int64
		label   string
		dir     Direction
		wantErr bool
	}{
		{"0001_create_users.up.sql", 1, "create_users", Up, false},
		{"0012_drop_legacy.down.sql", 12, "drop_legacy", Down, false},
		{"create_users.up.sql", 0, "", Up, true},
		{"0001_x.sql", 0, "", Up, true},
		{"notes.txt", 0, "", Up, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, label, dir, err := ParseFilename(tc.name)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err == nil && (v != tc.version || label != tc.label || dir != tc.dir) {
				t.Errorf("got %d %q %s", v, label, dir)
			}
		})
	}
}

func TestStatements(t *testing.T) {
	got := Statements("-- comment\nCREATE TABLE a (\n  id INTEGER\n);\nCREATE INDEX i ON a (id);\n")
	want := []string{"CREATE TABLE a ( id INTEGER )", "CREATE INDEX i ON a (id)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestUpToThenDown(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	migs := embeddedMigrations(t)
	m := New(db, &memLocker{}, Options{})
	if err := m.History().Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.UpTo(ctx, migs, 1<<62); err != nil {
		t.Fatal(err)
	}
	latest, err := m.History().Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if latest != migs[len(migs)-1].Version {
		t.Fatalf("latest = %d", latest)
	}
	if err := m.Down(ctx, migs, 1); err != nil {
		t.Fatal(err)
	}
	if got := m.Stats().Reverted; got != 1 {
		t.Fatalf("reverted = %d, want 1", got)
	}
}

func TestPendingDetectsEditedMigration(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	migs := embeddedMigrations(t)
	m := New(db, nil, Options{NoLock: true})
	if err := m.History().Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Baseline(ctx, migs, migs[0].Version); err != nil {
		t.Fatal(err)
	}
	edited := append([]Migration(nil), migs...)
	edited[0].UpSQL += "\n-- reformatted\n"
	if _, err := m.Pending(ctx, edited); err == nil {
		t.Fatal("edited migration not detected")
	}
}

func TestLint(t *testing.T) {
	migs := []Migration{
		{Version: 1, Name: "ok", UpSQL: "CREATE TABLE a (id INTEGER);", DownSQL: "DROP TABLE a;"},
		{Version: 2, Name: "tx", UpSQL: "BEGIN;\nCREATE TABLE b (id INTEGER);\nCOMMIT;"},
	}
	if errs := Lint(migs); len(errs) != 1 {
		t.Fatalf("Lint: %v", errs)
	}
	if errs := LintStrict(migs); len(errs) != 1 {
		t.Fatalf("LintStrict: %v", errs)
	}
}
