package cache

import (
	"errors"
	"testing"
	"time"
)

func TestLRUEvictsOldest(t *testing.T) {
	var evicted []string
	c := NewLRU(2, func(k string, _ interface{}) { evicted = append(evicted, k) })
	c.Add("a", 1)
	c.Add("b", 2)
	c.Get("a")
	c.Add("c", 3)
	if len(evicted) != 1 || evicted[0] != "b" {
		t.Fatalf("evicted = %v", evicted)
	}
	if !c.Contains("a") || c.Len() != 2 {
		t.Fatal("wrong contents")
	}
}

func TestTTLFetch(t *testing.T) {
	c := NewTTLCache(time.Minute)
	t.Cleanup(c.Stop)
	calls := 0
	load := func(string) (interface{}, error) {
		calls++
		if calls > 1 {
			return nil, errors.New("loaded twice")
		}
		return 42, nil
	}
	for i := 0; i < 3; i++ {
		v, err := c.Fetch("k", load)
		if err != nil || v.(int) != 42 {
			t.Fatalf("Fetch = %v, %v", v, err)
		}
	}
}

func TestShardedSetEach(t *testing.T) {
	s := NewSharded()
	s.SetEach(map[string]interface{}{"a": 1, "b": 2, "c": 3})
	if s.Len() != 3 {
		t.Fatalf("Len = %d", s.Len())
	}
	if v, ok := s.Get("b"); !ok || v.(int) != 2 {
		t.Fatalf("Get(b) = %v, %v", v, ok)
	}
}
