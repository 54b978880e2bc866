package fakedb

import (
	"context"
	"database/sql"
	"testing"
)

func openTest(t *testing.T) *sql.DB {
	t.Helper()
	dsn := "test-" + t.Name()
	Reset(dsn)
	db, err := sql.Open(DriverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		Reset(dsn)
	})
	return db
}

func TestInsertAndSelect(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"a", "1"}, {"b", "2"}} {
		if _, err := db.ExecContext(ctx, "INSERT INTO kv (k, v) VALUES (?, ?)", kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	var v string
	if err := db.QueryRowContext(ctx, "SELECT v FROM kv WHERE k = ?", "b").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != "2" {
		t.Fatalf("v = %q, want 2", v)
	}
}

func TestRollbackRestoresSnapshot(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE kv (k TEXT, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO kv (k, v) VALUES (?, ?)", "x", "y"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, "SELECT * FROM kv")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("row survived the rollback")
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		sql   string
		verb  string
		table string
		where int
	}{
		{"CREATE TABLE IF NOT EXISTS schema_lock (name TEXT PRIMARY KEY, owner TEXT)", "CREATE TABLE", "schema_lock", 0},
		{"DELETE FROM schema_lock WHERE name = ? AND owner = ?", "DELETE", "schema_lock", 2},
		{"UPDATE schema_migrations SET checksum = ? WHERE version = ?", "UPDATE", "schema_migrations", 1},
		{"SELECT owner FROM schema_lock WHERE name = ?", "SELECT", "schema_lock", 1},
	}
	for _, tc := range cases {
		t.Run(tc.verb, func(t *testing.T) {
			q := parse(tc.sql)
			if q.verb != tc.verb || q.table != tc.table || len(q.where) != tc.where {
				t.Errorf("parse(%q) = %+v", tc.sql, q)
			}
		})
	}
}
