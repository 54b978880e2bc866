package session

import "testing"

func TestAddRemoveAndLimit(t *testing.T) {
	tbl := NewTable(2)
	a, err := tbl.Add(nil, "127.0.0.1:1000")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tbl.Add(nil, "127.0.0.1:1001"); err != nil {
		t.Fatal(err)
	}
	if _, err := tbl.Add(nil, "127.0.0.1:1002"); err != ErrTooMany {
		t.Fatalf("third Add: err = %v, want ErrTooMany", err)
	}
	tbl.Remove(a.ID)
	if n := tbl.Len(); n != 1 {
		t.Fatalf("Len = %d after Remove", n)
	}
}
