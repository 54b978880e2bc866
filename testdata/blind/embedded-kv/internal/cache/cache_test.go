package cache

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"example.com/ekv/internal/page"
)

func fakeLoader(loads *int64) Loader {
	return func(id page.ID) ([]byte, error) {
		atomic.AddInt64(loads, 1)
		if id == 999 {
			return nil, errors.New("boom")
		}
		return []byte(fmt.Sprintf("page-%d", id)), nil
	}
}

func TestGetCachesPages(t *testing.T) {
	var loads int64
	c := New(16, fakeLoader(&loads))
	for i := 0; i < 3; i++ {
		data, err := c.Get(7)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != "page-7" {
			t.Fatalf("got %q", data)
		}
	}
	if loads != 1 {
		t.Fatalf("loads = %d, want 1", loads)
	}
	if st := c.Stats(); st.Hits != 2 || st.Misses != 1 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestEvictionSkipsPinned(t *testing.T) {
	var loads int64
	c := New(16, fakeLoader(&loads))
	if _, err := c.Pin(1); err != nil {
		t.Fatal(err)
	}
	for id := page.ID(2); id < 40; id++ {
		if _, err := c.Get(id); err != nil {
			t.Fatal(err)
		}
	}
	c.Invalidate() // no-op
	if _, err := c.Get(1); err != nil {
		t.Fatal(err)
	}
	if loads != 39 {
		t.Fatalf("pinned page was reloaded: loads = %d", loads)
	}
	if err := c.Unpin(1); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentGet(t *testing.T) {
	var loads int64
	c := New(64, fakeLoader(&loads))
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				id := page.ID((w*31 + i) % 100)
				if _, err := c.Get(id); err != nil {
					t.Errorf("Get(%d): %v", id, err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	if n := c.Len(); n > 64 {
		t.Fatalf("len = %d exceeds capacity", n)
	}
}

func TestLoadError(t *testing.T) {
	var loads int64
	c := New(16, fakeLoader(&loads))
	if _, err := c.Get(999); err == nil {
		t.Fatal("expected error")
	}
	if c.Len() != 0 {
		t.Fatal("failed load was cached")
	}
}
