package buildcache

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestTrim(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base := time.Now()
	for i := 0; i < 5; i++ {
		c.Put(Entry{Key: fmt.Sprint(i), Path: fmt.Sprintf("/p/%d", i), Used: base.Add(time.Duration(i) * time.Second)})
	}
	dropped := c.Trim(2)
	if len(dropped) != 3 || c.Len() != 2 {
		t.Fatalf("dropped %v, len %d", dropped, c.Len())
	}
	if dropped[0] != "/p/0" {
		t.Errorf("evicted %s first, want the oldest", dropped[0])
	}
}

func TestConcurrentPutGet(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := Key("input", fmt.Sprint(i))
			c.Put(Entry{Key: k, Size: int64(i)})
			c.Get(k)
		}()
	}
	wg.Wait()
	if s := c.Stats(); s.Entries != 16 || s.Hits != 16 {
		t.Fatalf("stats = %+v", s)
	}
}

func TestSaveReopen(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c.Put(Entry{Key: "abc", Path: "/x", Size: 3})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c2.Get("abc"); !ok {
		t.Fatal("entry lost after reopen")
	}
}
