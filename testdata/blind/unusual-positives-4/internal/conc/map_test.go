package conc

import (
	"errors"
	"sync"
	"testing"
)

func TestMapLoadOrCompute(t *testing.T) {
	m := NewMap[string, int]()
	calls := 0
	mk := func() (int, error) { calls++; return 42, nil }
	for i := 0; i < 3; i++ {
		v, err := m.LoadOrCompute("answer", mk)
		if err != nil || v != 42 {
			t.Fatalf("LoadOrCompute = %d, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("mk called %d times, want 1", calls)
	}
	if _, err := m.LoadOrCompute("bad", func() (int, error) { return 0, errors.New("boom") }); err == nil {
		t.Fatal("want error from mk")
	}
}

func TestGroupRecoversPanics(t *testing.T) {
	var g Group
	var mu sync.Mutex
	ran := 0
	for i := 0; i < 4; i++ {
		g.GoSafe(func() error {
			mu.Lock()
			defer mu.Unlock()
			ran++
			if i == 2 {
				panic("worker 2 exploded")
			}
			return nil
		})
	}
	if err := g.Wait(); err == nil {
		t.Fatal("want the panic reported as an error")
	}
	if ran != 4 {
		t.Fatalf("ran = %d, want 4", ran)
	}
}
