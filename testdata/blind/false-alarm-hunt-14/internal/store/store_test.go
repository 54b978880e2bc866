package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"example.com/fah14/internal/clock"
	"example.com/fah14/internal/store"
)

var epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// newTestStore returns a store on a fake clock that logs its content when the
// test fails.
func newTestStore(t *testing.T, opts ...store.Option) (*store.Store, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(epoch)
	s := store.New(append(opts, store.WithClock(clk))...)
	t.Cleanup(func() {
		if t.Failed() {
			s.Snapshot().Dump(t.Logf)
		}
	})
	return s, clk
}

func TestPutGet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		put     []store.Event
		get     string
		wantOK  bool
		wantTop string
	}{
		{name: "empty", get: "a"},
		{name: "hit", put: []store.Event{{ID: "a", Topic: "push"}}, get: "a", wantOK: true, wantTop: "push"},
		{name: "overwrite", put: []store.Event{{ID: "a", Topic: "push"}, {ID: "a", Topic: "tag"}}, get: "a", wantOK: true, wantTop: "tag"},
		{name: "miss", put: []store.Event{{ID: "b"}}, get: "a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newTestStore(t)
			for _, ev := range tc.put {
				if err := s.Put(ev); err != nil {
					t.Fatalf("Put(%q): %v", ev.ID, err)
				}
			}
			ev, ok := s.Get(tc.get)
			if ok != tc.wantOK || ev.Topic != tc.wantTop {
				t.Errorf("Get(%q) = %+v, %v; want topic %q, %v", tc.get, ev, ok, tc.wantTop, tc.wantOK)
			}
		})
	}
}

func TestPutStampsReceiveTime(t *testing.T) {
	t.Parallel()
	s, clk := newTestStore(t)
	clk.Advance(5 * time.Minute)
	if err := s.Put(store.Event{ID: "x"}); err != nil {
		t.Fatal(err)
	}
	ev, _ := s.Get("x")
	if want := epoch.Add(5 * time.Minute); !ev.Received.Equal(want) {
		t.Errorf("Received = %s, want %s", ev.Received, want)
	}
}

func TestPutRejectsEmptyID(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t)
	if err := s.Put(store.Event{Topic: "push"}); err == nil {
		t.Fatal("Put accepted an event without id")
	}
	if n := s.Len(); n != 0 {
		t.Errorf("Len() = %d after rejected put", n)
	}
}

func TestCapacityEviction(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t, store.WithCapacity(2))
	for _, id := range []string{"a", "b", "c"} {
		if err := s.Put(store.Event{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	if s.Has("a") {
		t.Error("oldest event was not evicted")
	}
	if st := s.Stats(); st.Events != 2 || st.Evicted != 1 {
		t.Errorf("Stats() = %+v", st)
	}
}

func TestEvictionUnderPressure(t *testing.T) {
	s := store.New(store.WithCapacity(3), store.WithClock(clock.NewFake(epoch)))
	defer s.Snapshot().Dump(t.Logf) // HAZ defer-call-chain
	for i := range 10 {
		if err := s.Put(store.Event{ID: fmt.Sprintf("ev-%02d", i), Topic: "load"}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"ev-07", "ev-08", "ev-09"}
	var got []string
	for _, ev := range s.Snapshot().Events {
		got = append(got, ev.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
}

func TestDeleteMissing(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t)
	err := s.Delete("nope")
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Delete(missing) = %v, want ErrNotFound", err)
	}
	if err := s.Put(store.Event{ID: "nope"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("nope"); err != nil {
		t.Errorf("Delete after Put: %v", err)
	}
}

func TestCopyFromSelf(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t)
	if err := s.Put(store.Event{ID: "a"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.CopyFrom(s)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("CopyFrom(self) deadlocked")
	}
	if n := s.Len(); n != 1 {
		t.Errorf("Len() = %d after self copy", n)
	}
}

func TestConcurrentPut(t *testing.T) {
	s, _ := newTestStore(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			id := fmt.Sprintf("k%d", i)
			if err := s.Put(store.Event{ID: id, Payload: []byte("v")}); err != nil {
				t.Error(err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	if n := s.Len(); n != 8 {
		t.Errorf("Len() = %d, want 8", n)
	}
}

func TestConcurrentReadersAndWriter(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t, store.WithCapacity(50))
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 100 {
			if err := s.Put(store.Event{ID: fmt.Sprintf("w%d", i)}); err != nil {
				errs <- err
				return
			}
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_ = s.Stats()
				_, _ = s.Get("w1")
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

func TestStreamStopsOnCancel(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t)
	for _, id := range []string{"a", "b", "c"} {
		if err := s.Put(store.Event{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := s.Stream(ctx)
	if first := <-ch; first.ID != "a" {
		t.Fatalf("first streamed event = %q", first.ID)
	}
	cancel()
	for range ch {
		// drain whatever was in flight; the channel must close
	}
}

// tryPut stores ev, ignoring a panic of a store that is being replaced.
func tryPut(s *store.Store, ev store.Event) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	_ = s.Put(ev)
}

func TestPutDuringReplace(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 50 {
			tryPut(s, store.Event{ID: fmt.Sprintf("p%d", i)})
		}
	}()
	go func() {
		defer wg.Done()
		for range 50 {
			s.Replace(nil)
		}
	}()
	wg.Wait()
	if n := s.Len(); n > 50 {
		t.Errorf("Len() = %d", n)
	}
}

func TestTakeRemoves(t *testing.T) {
	t.Parallel()
	s, _ := newTestStore(t)
	if err := s.Put(store.Event{ID: "a", Topic: "push"}); err != nil {
		t.Fatal(err)
	}
	ev, err := s.Take("a")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Topic != "push" || s.Has("a") {
		t.Errorf("Take returned %+v, Has(a) = %v", ev, s.Has("a"))
	}
}
