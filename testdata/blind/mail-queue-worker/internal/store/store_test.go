package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open("mem://test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestInsertSelectOrdered(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, id := range []string{"c", "a", "b"} {
		_, err := db.ExecContext(ctx, "INSERT INTO jobs (id, state, run_at) VALUES (?, ?, ?)",
			id, "ready", base.Add(time.Duration(-i)*time.Minute))
		if err != nil {
			t.Fatalf("insert %s: %v", id, err)
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT id FROM jobs WHERE state = ? ORDER BY run_at LIMIT 2", "ready")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		got = append(got, id)
	}
	if len(got) != 2 || got[0] != "b" || got[1] != "a" {
		t.Fatalf("got %v, want [b a]", got)
	}
}

func TestRollbackRestoresRows(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "INSERT INTO jobs (id, state) VALUES (?, ?)", "j1", "ready"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE jobs SET state = ? WHERE id = ?", "leased", "j1"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var state string
	if err := db.QueryRowContext(ctx, "SELECT state FROM jobs WHERE id = ?", "j1").Scan(&state); err != nil {
		t.Fatal(err)
	}
	if state != "ready" {
		t.Fatalf("state = %q after rollback", state)
	}
	if err := tx.Commit(); !errors.Is(err, ErrTxDone) {
		t.Fatalf("Commit after Rollback = %v, want ErrTxDone", err)
	}
}

func TestBeginHonoursContext(t *testing.T) {
	db := openTest(t)
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() }) // before openTest's Close, which waits for it

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := db.BeginTx(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second BeginTx = %v, want deadline exceeded", err)
	}
}
