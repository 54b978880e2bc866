package state

import (
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestSaveAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Set("a", "1")
	s.SetTime("t", time.Unix(100, 0))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s2.Get("a"); v != "1" {
		t.Fatalf("a = %q", v)
	}
	if tm, ok := s2.Time("t"); !ok || !tm.Equal(time.Unix(100, 0)) {
		t.Fatalf("t = %v %v", tm, ok)
	}
}

func TestConcurrentSet(t *testing.T) {
	s, _ := Open(filepath.Join(t.TempDir(), "c.json"))
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Update("n", func(old string, ok bool) string { return old + "x" })
		}()
	}
	wg.Wait()
	if v, _ := s.Get("n"); len(v) != 50 {
		t.Fatalf("len = %d", len(v))
	}
}

func TestMergeDifferentStores(t *testing.T) {
	a, _ := Open(filepath.Join(t.TempDir(), "a.json"))
	b, _ := Open(filepath.Join(t.TempDir(), "b.json"))
	b.Set("k", "v")
	if n := a.Merge(b); n != 1 {
		t.Fatalf("merged %d", n)
	}
	if !a.CompareAndSwap("k", "v", "w") {
		t.Fatal("CAS failed")
	}
}
