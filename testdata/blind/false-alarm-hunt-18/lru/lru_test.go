package lru

import (
	"errors"
	"testing"
)

func TestEvictCallbackMayUseCache(t *testing.T) {
	c := New(10)
	var evicted []string
	c.OnEvict = func(key string, _ []byte) {
		evicted = append(evicted, key)
		_ = c.Len() // must not deadlock: OnEvict runs without the lock
	}
	c.Add("a", []byte("1234"))
	c.Add("b", []byte("1234"))
	c.Add("c", []byte("1234"))
	if len(evicted) != 1 || evicted[0] != "a" {
		t.Fatalf("evicted = %v, want [a]", evicted)
	}
	c.SetMaxBytes(5)
	if got := c.Len(); got != 1 {
		t.Fatalf("Len after SetMaxBytes = %d, want 1", got)
	}
}

func TestGetOrLoad(t *testing.T) {
	c := New(1 << 10)
	calls := 0
	load := func(key string) ([]byte, error) {
		calls++
		if key == "bad" {
			return nil, errors.New("no such key")
		}
		return []byte("v:" + key), nil
	}
	for range 2 {
		v, err := c.GetOrLoad("k", load)
		if err != nil || string(v) != "v:k" {
			t.Fatalf("GetOrLoad = %q, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("load called %d times, want 1", calls)
	}
	if _, err := c.GetOrLoad("bad", load); err == nil {
		t.Fatal("GetOrLoad(bad) succeeded")
	}
}
