package kv

import (
	"sync"
	"testing"

	"example.com/kvreplication/internal/raftpb"
)

func put(idx raftpb.Index, k, v string) raftpb.Entry {
	return raftpb.Entry{Index: idx, Kind: raftpb.EntryPut, Key: k, Value: []byte(v)}
}

func TestApplyIdempotent(t *testing.T) {
	s := NewStore()
	for i := 0; i < 2; i++ {
		if err := s.Apply(put(1, "a", "1")); err != nil {
			t.Fatal(err)
		}
	}
	if s.Applied() != 1 || s.Len() != 1 {
		t.Fatalf("applied=%d len=%d", s.Applied(), s.Len())
	}
}

func TestSnapshotRestore(t *testing.T) {
	s := NewStore()
	s.ApplyBatch([]raftpb.Entry{put(1, "a", "1"), put(2, "b", "2")})
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	r := NewStore()
	if err := r.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if v, ok := r.Get("b"); !ok || string(v) != "2" {
		t.Fatalf("b = %q, %v", v, ok)
	}
}

func TestConcurrentReaders(t *testing.T) {
	s := NewStore()
	if err := s.Apply(put(1, "k", "v")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := s.MultiGetConsistent([]string{"k", "missing"}); len(got) != 1 {
				errs <- "wrong result size"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestWatchReceivesPut(t *testing.T) {
	s := NewStore()
	ch, cancel := s.Watch("k")
	defer cancel()
	if err := s.Apply(put(1, "k", "v")); err != nil {
		t.Fatal(err)
	}
	ev := <-ch
	if string(ev.Value) != "v" || ev.Index != 1 {
		t.Fatalf("event %+v", ev)
	}
}

func TestMaintenanceHook(t *testing.T) {
	s := NewStore()
	ran := false
	s.OnAfter("compact", func() { ran = true })
	if err := s.RunMaintenanceSafe("compact", func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	if !ran {
		t.Fatal("hook did not run")
	}
	if err := s.RunMaintenanceSafe("unknown", func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}
