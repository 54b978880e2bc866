package fakedb_test

import (
	"context"
	"database/sql"
	"testing"

	"example.com/databaselayer/internal/fakedb"
)

func openTestDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open(fakedb.DriverName, t.Name())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE kv (id INTEGER, k TEXT, v TEXT)"); err != nil {
		t.Fatalf("create: %v", err)
	}
	return db
}

func TestInsertAndSelect(t *testing.T) {
	db := openTestDB(t)
	res, err := db.Exec("INSERT INTO kv (k, v) VALUES (?, ?), (?, ?)", "a", "1", "b", "2")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 2 {
		t.Fatalf("affected = %d, want 2", n)
	}
	var v string
	if err := db.QueryRow("SELECT v FROM kv WHERE k = ?", "b").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != "2" {
		t.Fatalf("v = %q, want 2", v)
	}
}

func TestRollbackRestores(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("INSERT INTO kv (k, v) VALUES (?, ?)", "x", "y"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM kv").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("count = %d after rollback, want 0", n)
	}
}

func TestSavepoints(t *testing.T) {
	db := openTestDB(t)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	steps := []struct {
		query string
		args  []any
	}{
		{"INSERT INTO kv (k, v) VALUES (?, ?)", []any{"keep", "1"}},
		{"SAVEPOINT sp1", nil},
		{"INSERT INTO kv (k, v) VALUES (?, ?)", []any{"drop", "2"}},
		{"ROLLBACK TO SAVEPOINT sp1", nil},
		{"RELEASE SAVEPOINT sp1", nil},
	}
	for _, s := range steps {
		if _, err := tx.Exec(s.query, s.args...); err != nil {
			t.Fatalf("%s: %v", s.query, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestSetDownFailsPing(t *testing.T) {
	db := openTestDB(t)
	fakedb.SetDown(t.Name(), true)
	defer fakedb.SetDown(t.Name(), false)
	db.SetMaxIdleConns(0)
	if err := db.Ping(); err == nil {
		t.Fatal("ping succeeded on a database marked down")
	}
}
