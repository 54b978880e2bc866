package journal

import (
	"errors"
	"testing"
)

func TestUpdateCommits(t *testing.T) {
	db := NewMemDB()
	if err := Update(db, func(tx Tx) error { return tx.Put("a", "1") }); err != nil {
		t.Fatal(err)
	}
	if v, ok := db.Get("a"); !ok || v != "1" {
		t.Fatalf("Get(a) = %q, %v", v, ok)
	}
}

func TestUpdateRollsBackOnError(t *testing.T) {
	db := NewMemDB()
	boom := errors.New("boom")
	err := Update(db, func(tx Tx) error {
		if err := tx.Put("a", "1"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update() = %v", err)
	}
	if _, ok := db.Get("a"); ok {
		t.Fatal("rolled-back write is visible")
	}
}

func TestUpdateRepanics(t *testing.T) {
	db := NewMemDB()
	defer func() {
		if r := recover(); r != "kaboom" {
			t.Fatalf("recovered %v, want kaboom", r)
		}
		if _, ok := db.Get("a"); ok {
			t.Fatal("write of a panicking transaction is visible")
		}
	}()
	Update(db, func(tx Tx) error {
		tx.Put("a", "1")
		panic("kaboom")
	})
}

func TestImportKeepsExisting(t *testing.T) {
	db := NewMemDB()
	if err := ApplyAll(db, map[string]string{"a": "old"}); err != nil {
		t.Fatal(err)
	}
	if n := db.Import(map[string]string{"a": "new", "b": "2"}); n != 1 {
		t.Fatalf("Import added %d", n)
	}
	if v, _ := db.Get("a"); v != "old" {
		t.Fatalf("a = %q", v)
	}
}
