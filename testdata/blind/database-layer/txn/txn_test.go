package txn

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"example.com/databaselayer/internal/fakedb"
)

func newRunner(t *testing.T) (*Runner, *sql.DB) {
	t.Helper()
	db, err := sql.Open(fakedb.DriverName, "txn/"+t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE events (id INTEGER, name TEXT)"); err != nil {
		t.Fatal(err)
	}
	return NewRunner(db, WithRetries(2), WithBackoff(time.Millisecond, 5*time.Millisecond)), db
}

func countEvents(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWithTxCommits(t *testing.T) {
	r, db := newRunner(t)
	err := r.WithTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO events (name) VALUES (?)", "created")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countEvents(t, db); n != 1 {
		t.Fatalf("events = %d, want 1", n)
	}
}

func TestWithTxRollsBackOnError(t *testing.T) {
	r, db := newRunner(t)
	boom := errors.New("boom")
	err := r.WithTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO events (name) VALUES (?)", "lost"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if n := countEvents(t, db); n != 0 {
		t.Fatalf("events = %d after rollback, want 0", n)
	}
}

func TestWithTxRepanics(t *testing.T) {
	r, _ := newRunner(t)
	defer func() {
		if p := recover(); p == nil {
			t.Fatal("expected the panic to propagate")
		}
	}()
	_ = r.WithTx(context.Background(), func(context.Context, *sql.Tx) error {
		panic("kaboom")
	})
}

func TestRetryGivesUp(t *testing.T) {
	r, _ := newRunner(t)
	calls := 0
	err := r.WithRetry(context.Background(), func(context.Context, *sql.Tx) error {
		calls++
		return ErrRetryable
	})
	if !errors.Is(err, ErrRetryable) || calls != 3 {
		t.Fatalf("err = %v after %d calls, want ErrRetryable after 3", err, calls)
	}
}

func TestProtectConvertsPanic(t *testing.T) {
	r, _ := newRunner(t)
	err := r.Protect(context.Background(), func(context.Context) error {
		panic("bad state")
	})
	if err == nil {
		t.Fatal("Protect returned nil for a panic")
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{"sp1": true, "step_2": true, "1sp": false, "": false, "a-b": false} {
		if got := validName(name); got != want {
			t.Errorf("validName(%q) = %v, want %v", name, got, want)
		}
	}
}
