package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"example.com/fah23/internal/wire"
	"example.com/fah23/server"
)

var testDSN string

func TestMain(m *testing.M) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "store tests:", err)
		os.Exit(1)
	}
	srv := server.New(server.NewEngine(), os.TempDir())
	go srv.Serve(ln)
	defer srv.Close()
	testDSN = "fahdb://test@" + ln.Addr().String() + "/test"
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

// openTestStore opens a store on the shared test server and makes sure the
// tables exist.
func openTestStore(t *testing.T) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := Open(ctx, testDSN, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, ddl := range []string{
		"CREATE TABLE users (id, name, email, credits, created, views)",
		"CREATE TABLE audit (user_id, action)",
	} {
		var se *wire.ServerError
		if _, err := s.db.ExecContext(ctx, ddl); err != nil && !(errors.As(err, &se) && se.Code == "42P07") {
			t.Fatal(err)
		}
	}
	return s
}

func TestCreateAndLoadUser(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	id, err := s.CreateUser(ctx, User{Name: "ada", Email: "ada@example.com", Credits: 10})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "ada" || u.Credits != 10 {
		t.Fatalf("loaded %+v", u)
	}
}

func TestWithTxReturnsCallbackError(t *testing.T) {
	s := openTestStore(t)
	boom := errors.New("boom")
	err := s.WithTx(context.Background(), func(tx *sql.Tx) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestUsersByIDsSkipsMissing(t *testing.T) {
	s := openTestStore(t)
	got, err := s.UsersByIDs(context.Background(), []int64{1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("got %v", got)
	}
}

func TestParseMigrationName(t *testing.T) {
	v, name, dir, ok := parseMigrationName("0007_add_index.up.sql")
	if !ok || v != 7 || name != "add_index" || dir != "up" {
		t.Fatalf("got %d %q %q %v", v, name, dir, ok)
	}
	if _, _, _, ok := parseMigrationName("README.md"); ok {
		t.Fatal("README.md is not a migration")
	}
}
