package catalog

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestConcurrentPutGet(t *testing.T) {
	c := New(nil)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				key := fmt.Sprintf("k%d-%d", i, j)
				c.Put(Entry{Key: key, Size: int64(j)})
				if _, ok := c.Get(key); !ok {
					t.Errorf("missing %s right after Put", key)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := c.Len(); got != 800 {
		t.Fatalf("Len = %d, want 800", got)
	}
}

func TestTxCommitReleasesLock(t *testing.T) {
	c := New(nil)
	tx := c.Begin()
	tx.Put(Entry{Key: "a", Size: 1})
	tx.Put(Entry{Key: "b", Size: 2})
	tx.Delete("a")
	tx.Commit()
	tx.Commit() // second call is a no-op

	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Put(Entry{Key: "c", Size: 3})
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Put blocked after Commit")
	}
	if st := c.Stats(); st.Entries != 2 || st.Bytes != 5 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalog.json")
	c := New(nil)
	c.Put(Entry{Key: "x", Digest: "abc", Size: 10})
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := got.Get("x")
	if !ok || e.Digest != "abc" || e.Size != 10 {
		t.Fatalf("round trip lost data: %+v %v", e, ok)
	}
}
