package quota

import (
	"errors"
	"testing"
)

func TestHoldAndCommit(t *testing.T) {
	m := NewManager(nil)
	if err := m.SetLimit("alice", 100); err != nil {
		t.Fatal(err)
	}
	release, err := m.Hold("alice", 60)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Hold("alice", 60); !errors.Is(err, ErrExceeded) {
		t.Fatalf("second hold: err = %v, want ErrExceeded", err)
	}
	release()
	release()
	if err := m.Reserve("alice", 40); err != nil {
		t.Fatal(err)
	}
	if err := m.Commit("alice", 40, 35); err != nil {
		t.Fatal(err)
	}
	u, _ := m.Usage("alice")
	if u.Used != 35 || u.Reserved != 0 {
		t.Fatalf("usage = %+v", u)
	}
}
