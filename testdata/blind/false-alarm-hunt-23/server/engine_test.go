package server

import (
	"path/filepath"
	"testing"
)

func TestParseUpdateIncrement(t *testing.T) {
	st, err := parse("UPDATE users SET credits = credits + ? WHERE id = ?")
	if err != nil {
		t.Fatal(err)
	}
	if st.verb != "UPDATE" || !st.incr || st.where != "id" || st.cols[0] != "credits" {
		t.Fatalf("parsed %+v", st)
	}
}

func TestExecQuery(t *testing.T) {
	e := NewEngine()
	if _, _, err := e.Exec("s1", "CREATE TABLE users (id, name)", nil); err != nil {
		t.Fatal(err)
	}
	id, n, err := e.Exec("s1", "INSERT INTO users (name) VALUES (?)", []string{"s:ada"})
	if err != nil || id != 1 || n != 1 {
		t.Fatalf("insert: id=%d n=%d err=%v", id, n, err)
	}
	cols, rows, err := e.Query("SELECT name FROM users WHERE id = ?", []string{"i:1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) != 1 || len(rows) != 1 || rows[0][0] != "s:ada" {
		t.Fatalf("cols=%v rows=%v", cols, rows)
	}
}

func TestAdvisoryLocks(t *testing.T) {
	e := NewEngine()
	if _, _, err := e.Exec("a", "LOCK jobs", nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Exec("b", "LOCK jobs", nil); err == nil {
		t.Fatal("second session must not get the lock")
	}
	e.ReleaseLocks("a")
	if _, _, err := e.Exec("b", "LOCK jobs", nil); err != nil {
		t.Fatal(err)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.fah")
	e := NewEngine()
	if _, _, err := e.Exec("s", "CREATE TABLE t (id, v)", nil); err != nil {
		t.Fatal(err)
	}
	if err := e.SaveSnapshot(path); err != nil {
		t.Fatal(err)
	}
	loaded := NewEngine()
	if err := loaded.LoadSnapshot(path); err != nil {
		t.Fatal(err)
	}
	if got := loaded.Tables(); len(got) != 1 || got[0] != "t" {
		t.Fatalf("tables = %v", got)
	}
}
