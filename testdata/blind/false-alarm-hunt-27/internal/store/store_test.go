package store

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log"
	"strings"
	"testing"
	"time"

	"example.com/fah27/internal/memdriver"
)

func newTestStore(t *testing.T) (*Store, *memdriver.Server) {
	t.Helper()
	memdriver.Register()
	srv := memdriver.NewServer(t.Name())
	t.Cleanup(srv.Shutdown)
	st, err := Open(memdriver.Name, t.Name(), time.Second, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st, srv
}

func TestCreateAndListUsers(t *testing.T) {
	st, _ := newTestStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	for _, email := range []string{"ada@example.com", "bob@example.com"} {
		if _, err := st.CreateUser(ctx, email); err != nil {
			t.Fatalf("CreateUser(%s): %v", email, err)
		}
	}
	users, err := st.ListUsers(ctx, 10)
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	if len(users) != 2 || users[1].Email != "bob@example.com" {
		t.Fatalf("ListUsers = %+v", users)
	}
}

func TestInTxRollsBackOnError(t *testing.T) {
	st, srv := newTestStore(t)
	boom := errors.New("boom")
	err := st.InTx(context.Background(), func(tx *sql.Tx) error {
		if _, err := tx.Exec("INSERT INTO ledger VALUES (?, ?, ?)", 1, 2, 3); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	for _, name := range srv.Tables() {
		if name == "ledger" {
			t.Fatalf("rolled-back insert reached the server")
		}
	}
}

func TestSumColumnReportsDriverPanic(t *testing.T) {
	st, srv := newTestStore(t)
	if err := st.BatchInsert(context.Background(), "points", [][]any{{int64(1), "a", true}, {int64(2), "b", true}}); err != nil {
		t.Fatalf("BatchInsert: %v", err)
	}
	srv.InjectFaults(1)
	_, err := st.SumColumn(context.Background(), "points", "id")
	if err == nil || !strings.Contains(err.Error(), "driver panic") {
		t.Fatalf("SumColumn = %v, want a driver panic error", err)
	}
	sum, err := st.SumColumn(context.Background(), "points", "id")
	if err != nil || sum != 3 {
		t.Fatalf("SumColumn after fault = %d, %v; want 3", sum, err)
	}
}

func TestTableCounts(t *testing.T) {
	st, _ := newTestStore(t)
	ctx := context.Background()
	if _, err := st.CreateUser(ctx, "c@example.com"); err != nil {
		t.Fatal(err)
	}
	counts, err := st.TableCounts(ctx, []string{"users"})
	if err != nil {
		t.Fatalf("TableCounts: %v", err)
	}
	if counts["users"] != 1 {
		t.Fatalf("counts = %v", counts)
	}
	var b strings.Builder
	if err := st.ExportEach(ctx, []string{"users"}, &b); err != nil {
		t.Fatalf("ExportEach: %v", err)
	}
	if !strings.HasPrefix(b.String(), "users\t") {
		t.Fatalf("export = %q", b.String())
	}
}
