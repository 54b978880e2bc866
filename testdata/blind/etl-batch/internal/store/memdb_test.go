package store

import (
	"context"
	"errors"
	"testing"
)

func TestInsertAndQuery(t *testing.T) {
	ctx := context.Background()
	db, err := Open("mem://" + t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })

	if _, err := db.Exec(ctx, "CREATE TABLE users id name"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "INSERT INTO users", "1", "ada"); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(ctx, "SELECT * FROM users")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, id+":"+name)
	}
	if len(got) != 1 || got[0] != "1:ada" {
		t.Fatalf("rows = %v", got)
	}
}

func TestRollbackDiscardsWrites(t *testing.T) {
	ctx := context.Background()
	db, err := Open("mem://" + t.Name())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "CREATE TABLE t a"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO t", "x"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); !errors.Is(err, ErrTxDone) {
		t.Fatalf("second Rollback = %v, want ErrTxDone", err)
	}
	if n, err := db.Count("t"); err != nil || n != 0 {
		t.Fatalf("Count = %d, %v", n, err)
	}
}
