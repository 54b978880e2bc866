package registry

import (
	"errors"
	"sync"
	"testing"
)

func TestPatchInsertThenReplace(t *testing.T) {
	tb := NewTable()
	if err := tb.Patch("svc", map[string]string{"addr": "a:1"}, ModeInsert); err != nil {
		t.Fatal(err)
	}
	if err := tb.Patch("svc", nil, ModeInsert); !errors.Is(err, ErrExists) {
		t.Fatalf("second insert: %v", err)
	}
	if err := tb.Patch("svc", map[string]string{"addr": "a:2"}, ModeReplace); err != nil {
		t.Fatal(err)
	}
	row, ok := tb.Get("svc")
	if !ok || row.Fields["addr"] != "a:2" || row.Version != 2 {
		t.Fatalf("row = %+v, %v", row, ok)
	}
}

func TestShardedSnapshot(t *testing.T) {
	s := NewSharded(4)
	for _, id := range []string{"a", "b", "c"} {
		s.Store(Row{ID: id, Version: 1})
	}
	got := s.Snapshot([]string{"a", "c", "zz"})
	if len(got) != 2 {
		t.Fatalf("snapshot = %v", got)
	}
}

func TestTakeAllAndPush(t *testing.T) {
	var mu sync.Mutex
	var q []int
	if !Push(&mu, &q, 3, 1, 2) {
		t.Fatal("push refused")
	}
	if Push(&mu, &q, 3, 3, 4) {
		t.Fatal("push past limit accepted")
	}
	if got := TakeAll(&mu, &q); len(got) != 2 || len(q) != 0 {
		t.Fatalf("TakeAll = %v, left %v", got, q)
	}
}
