package migrate

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"example.com/clitests/internal/fakedb"
)

var verbose = os.Getenv("MIGRATE_TEST_VERBOSE") != ""

func TestMain(m *testing.M) {
	log.SetFlags(0)
	if !verbose {
		log.SetOutput(new(bytes.Buffer))
	}
	defer log.SetOutput(os.Stderr)
	m.Run() // ok: since go1.15 the test binary exits with m.Run's code after TestMain returns
}

var testMigrations = []Migration{
	{Version: 1, Name: "users", Up: "CREATE TABLE users (id INT)", Down: "DROP TABLE users"},
	{Version: 2, Name: "emails", Up: "ALTER TABLE users ADD email TEXT", Down: "ALTER TABLE users DROP email"},
	{Version: 3, Name: "index", Up: "CREATE INDEX users_email ON users (email)", Down: "DROP INDEX users_email"},
}

// openDB opens a fresh fakedb store for the test and drops it afterwards.
func openDB(t testing.TB) (*sql.DB, *fakedb.Store) {
	t.Helper()
	name := strings.ReplaceAll(t.Name(), "/", "_")
	db, err := sql.Open(fakedb.DriverName, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		fakedb.Drop(name)
	})
	return db, fakedb.Lookup(name)
}

func TestUp(t *testing.T) {
	tests := []struct {
		name     string
		failOn   string
		want     []int64
		wantErr  bool
		preApply []int64
	}{
		{name: "fresh", want: []int64{1, 2, 3}},
		{name: "partly applied", preApply: []int64{1}, want: []int64{1, 2, 3}},
		{name: "second fails", failOn: "ALTER TABLE users ADD", want: []int64{1}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, store := openDB(t)
			r := New(db, nil)
			ctx := context.Background()
			if err := r.Init(ctx); err != nil {
				t.Fatal(err)
			}
			for _, v := range tt.preApply {
				if err := r.Force(ctx, v); err != nil {
					t.Fatal(err)
				}
			}
			store.FailOn(tt.failOn)
			err := r.Up(ctx, testMigrations)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Up() error = %v, wantErr %v", err, tt.wantErr)
			}
			if got := store.Versions(); !slices.Equal(got, tt.want) {
				t.Errorf("versions = %v, want %v", got, tt.want)
			}
			if store.Locked() {
				t.Error("migration lock still held after Up")
			}
		})
	}
}

func TestUpLockHeld(t *testing.T) {
	db, store := openDB(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, lockInsert); err != nil {
		t.Fatal(err)
	}
	err := New(db, nil).Up(ctx, testMigrations)
	if !errors.Is(err, fakedb.ErrLockHeld) {
		t.Fatalf("Up with held lock: err = %v", err)
	}
	if got := store.Versions(); len(got) != 0 {
		t.Errorf("versions = %v, want none", got)
	}
}

func TestDown(t *testing.T) {
	db, store := openDB(t)
	r := New(db, nil)
	ctx := context.Background()
	if err := r.Up(ctx, testMigrations); err != nil {
		t.Fatal(err)
	}
	if err := r.Down(ctx, testMigrations[1:]); err != nil {
		t.Fatal(err)
	}
	if got := store.Versions(); !slices.Equal(got, []int64{1}) {
		t.Errorf("after Down versions = %v, want [1]", got)
	}
	stmts := store.Statements()
	i2 := slices.Index(stmts, "ALTER TABLE users DROP email")
	i3 := slices.Index(stmts, "DROP INDEX users_email")
	if i2 < 0 || i3 < 0 || i3 > i2 {
		t.Errorf("down statements out of order: %q", stmts)
	}
}

func TestHistoryAndCurrentVersion(t *testing.T) {
	db, _ := openDB(t)
	r := New(db, nil)
	ctx := context.Background()
	if err := r.Up(ctx, testMigrations[:2]); err != nil {
		t.Fatal(err)
	}
	h, err := r.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h, []int64{1, 2}) {
		t.Errorf("History = %v", h)
	}
	v, err := r.CurrentVersion(ctx)
	if err != nil || v != 2 {
		t.Errorf("CurrentVersion = %d, %v; want 2", v, err)
	}
}

func TestHooks(t *testing.T) {
	db, _ := openDB(t)
	r := New(db, nil)
	var calls []string
	r.Hook("before", func() { calls = append(calls, "before") })
	r.Hook("after", func() { calls = append(calls, "after") })
	if err := r.UpWithHooks(context.Background(), testMigrations); err != nil {
		t.Fatal(err)
	}
	if want := []string{"before", "after"}; !slices.Equal(calls, want) {
		t.Errorf("hook calls = %v, want %v", calls, want)
	}
}

func TestRunHookPanic(t *testing.T) {
	r := New(nil, nil)
	r.Hook("notify", func() { panic("webhook down") })
	err := r.RunHook("notify")
	if err == nil || !strings.Contains(err.Error(), "webhook down") {
		t.Fatalf("RunHook err = %v", err)
	}
}

func TestUpNotify(t *testing.T) {
	db, _ := openDB(t)
	r := New(db, nil)
	done := make(chan error, 1)
	if err := r.UpNotify(context.Background(), testMigrations, func(err error) { done <- err }); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("callback got %v", err)
	}
	if err := r.UpNotify(context.Background(), testMigrations, nil); err != nil {
		t.Errorf("UpNotify with nil callback: %v", err)
	}
}

func TestConcurrentUpOnlyOneWins(t *testing.T) {
	db, store := openDB(t)
	ctx := context.Background()
	const n = 4
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- New(db, nil).Up(ctx, testMigrations) // ok: buffered for every sender
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, fakedb.ErrLockHeld) {
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok == 0 {
		t.Error("no Up call succeeded")
	}
	if got := store.Versions(); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Errorf("versions = %v", got)
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"0002_emails.up.sql":    {Data: []byte("ALTER TABLE users ADD email TEXT")},
		"0001_users.up.sql":     {Data: []byte("CREATE TABLE users (id INT)")},
		"0001_users.down.sql":   {Data: []byte("DROP TABLE users")},
		"README.md":             {Data: []byte("not a migration")},
		"archive/0000_x.up.sql": {Data: []byte("ignored")},
	}
	ms, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Version != 1 || ms[1].Version != 2 || ms[0].Down == "" {
		t.Errorf("LoadFS = %+v", ms)
	}

	bad := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"no underscore", fstest.MapFS{"0001.up.sql": {Data: []byte("x")}}},
		{"bad version", fstest.MapFS{"x_users.up.sql": {Data: []byte("x")}}},
		{"down only", fstest.MapFS{"0001_a.down.sql": {Data: []byte("x")}}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadFS(tt.fsys); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestWriteStatus(t *testing.T) {
	applied := func(v int64) bool { return v == 1 }
	var buf bytes.Buffer
	if err := WriteStatus(&buf, testMigrations, applied); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "users") || !strings.Contains(buf.String(), "pending") {
		t.Errorf("status table:\n%s", buf.String())
	}
	buf.Reset()
	if err := WriteStatusCSV(&buf, testMigrations, applied); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != len(testMigrations)+1 {
		t.Errorf("csv has %d lines:\n%s", lines, buf.String())
	}
}

type failWriter struct{}

func (failWriter) Write(p []byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteStatusLinesReportsWriteError(t *testing.T) {
	err := WriteStatusLines(failWriter{}, testMigrations, func(int64) bool { return false })
	if err == nil {
		t.Fatal("want the writer's error")
	}
}

func BenchmarkUp(b *testing.B) {
	ms := make([]Migration, 50)
	for i := range ms {
		ms[i] = Migration{Version: int64(i + 1), Name: fmt.Sprintf("m%d", i), Up: "SELECT 1"}
	}
	for i := 0; i < b.N; i++ {
		func() {
			name := fmt.Sprintf("bench-%d", i)
			db, err := sql.Open(fakedb.DriverName, name)
			if err != nil {
				b.Fatal(err)
			}
			defer fakedb.Drop(name) // ok: inside the per-iteration literal
			defer db.Close()
			if err := New(db, nil).Up(context.Background(), ms); err != nil {
				b.Fatal(err)
			}
		}()
	}
}
