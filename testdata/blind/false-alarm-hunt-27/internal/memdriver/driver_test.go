package memdriver

import (
	"database/sql"
	"testing"
)

func openTestDB(t *testing.T) (*sql.DB, *Server) {
	t.Helper()
	Register()
	srv := NewServer(t.Name())
	db, err := sql.Open(Name, t.Name())
	if err != nil {
		t.Fatalf("sql.Open: %v", err)
	}
	t.Cleanup(func() {
		_ = db.Close()
		srv.Shutdown()
	})
	return db, srv
}

func TestInsertSelect(t *testing.T) {
	db, _ := openTestDB(t)
	if _, err := db.Exec("INSERT INTO kv VALUES (?, ?)", "a", int64(1)); err != nil {
		t.Fatalf("insert: %v", err)
	}
	rows, err := db.Query("SELECT k, v FROM kv")
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatalf("scan: %v", err)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != 1 {
		t.Fatalf("rows = %d, err %v", n, err)
	}
}

func TestInjectedFaultPanics(t *testing.T) {
	db, srv := openTestDB(t)
	if _, err := db.Exec("INSERT INTO kv VALUES (?, ?)", "a", int64(1)); err != nil {
		t.Fatal(err)
	}
	srv.InjectFaults(1)
	rows, err := db.Query("SELECT k FROM kv")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	defer func() {
		if r := recover(); r == nil {
			t.Fatalf("expected the injected fault to panic")
		}
	}()
	rows.Next()
}

func TestTxRollbackDiscardsInserts(t *testing.T) {
	db, srv := openTestDB(t)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO kv VALUES (?, ?)", "a", int64(1)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := srv.Tables(); len(got) != 0 {
		t.Fatalf("tables after rollback = %v", got)
	}
}
