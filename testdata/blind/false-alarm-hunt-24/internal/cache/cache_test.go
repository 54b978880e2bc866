package cache

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

func TestPutEvictsOldest(t *testing.T) {
	s := New(2)
	s.Put("a", []byte("1"))
	s.Put("b", []byte("2"))
	s.Put("c", []byte("3"))
	if _, ok := s.Get("a"); ok {
		t.Fatal("oldest entry survived eviction")
	}
	if s.Len() != 2 {
		t.Fatalf("Len = %d, want 2", s.Len())
	}
}

func TestConcurrentGetOrLoad(t *testing.T) {
	s := New(16)
	var loads int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.GetOrLoad("k", func() ([]byte, error) {
				mu.Lock()
				defer mu.Unlock()
				loads++
				return []byte(fmt.Sprint(i)), nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if loads != 1 {
		t.Fatalf("loaded %d times, want 1", loads)
	}
}

func TestPersistLoadRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cache.json")
	s := New(8)
	s.Put("x", []byte("payload"))
	if err := s.Snapshot().Persist(p); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(p, 8)
	if err != nil {
		t.Fatal(err)
	}
	if data, ok := loaded.Get("x"); !ok || string(data) != "payload" {
		t.Fatalf("Get = %q, %v", data, ok)
	}
}

func TestMergeFromSelf(t *testing.T) {
	s := New(4)
	s.Put("a", nil)
	if n := s.MergeFrom(s); n != 0 {
		t.Fatalf("merged %d from self", n)
	}
}
