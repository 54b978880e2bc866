package kv

import (
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	log.SetFlags(0)
	os.Exit(m.Run())
}

func TestCompareAndSwap(t *testing.T) {
	tests := []struct {
		name    string
		seed    bool
		rev     int64
		wantErr error
	}{
		{name: "missing", seed: false, rev: 1, wantErr: ErrKeyNotFound},
		{name: "stale", seed: true, rev: 99, wantErr: ErrRevMismatch},
		{name: "ok", seed: true, rev: 1, wantErr: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewStore()
			if tc.seed {
				s.Put("k", []byte("v1"))
			}
			_, err := s.CompareAndSwap("k", tc.rev, []byte("v2"))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("CompareAndSwap() error = %v, want %v", err, tc.wantErr)
			}
			// The lock must be free again on every path.
			s.Put("other", nil)
		})
	}
}

func TestWatchDeliversMatchingEvents(t *testing.T) {
	s := NewStore()
	ch, cancel := s.Watch("a/", 4)
	defer cancel()

	s.Put("b/1", []byte("ignored"))
	s.Put("a/1", []byte("x"))

	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	select {
	case ev := <-ch:
		if ev.Key != "a/1" || ev.Type != EventPut {
			t.Fatalf("got %+v, want put of a/1", ev)
		}
	case <-timer.C:
		t.Fatal("no event within 1s")
	}
}

func TestConcurrentPuts(t *testing.T) {
	s := NewStore()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Put(fmt.Sprintf("k%d", i), []byte{byte(i)})
		}()
	}
	wg.Wait()
	if got := s.Stats().Keys; got != 8 {
		t.Fatalf("Keys = %d, want 8", got)
	}
}

func TestCacheEvictsOldest(t *testing.T) {
	var evicted []string
	c := NewCache[string, int](2, func(k string, _ int) { evicted = append(evicted, k) })
	c.Add("a", 1)
	c.Add("b", 2)
	if _, ok := c.Get("a"); !ok {
		t.Fatal("a missing")
	}
	c.Add("c", 3)
	if len(evicted) != 1 || evicted[0] != "b" {
		t.Fatalf("evicted = %v, want [b]", evicted)
	}
}

func TestRegistryPromote(t *testing.T) {
	r := NewRegistry()
	if err := r.Add(Member{Name: "n1", PeerURL: "http://n1:2380", Learner: true}); err != nil {
		t.Fatal(err)
	}
	if err := r.Promote("n1"); err != nil {
		t.Fatal(err)
	}
	if got := r.Quorum(); got != 1 {
		t.Fatalf("Quorum() = %d, want 1", got)
	}
}
