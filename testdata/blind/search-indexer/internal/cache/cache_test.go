package cache

import (
	"context"
	"errors"
	"log"
	"os"
	"strings"
	"testing"
)

func newTestCache(capacity int) *Cache[string] {
	load := func(_ context.Context, key string) (string, error) {
		if key == "boom" {
			panic("loader exploded")
		}
		if key == "" {
			return "", errors.New("empty key")
		}
		return strings.ToUpper(key), nil
	}
	return New(capacity, load, log.New(os.Stderr, "", 0))
}

func TestPutEvictsOldest(t *testing.T) {
	c := newTestCache(2)
	c.Put("a", "A")
	c.Put("b", "B")
	c.Put("c", "C")
	if _, ok := c.Get("a"); ok {
		t.Fatal("oldest entry was not evicted")
	}
	if c.Len() != 2 {
		t.Fatalf("Len = %d", c.Len())
	}
}

func TestRemove(t *testing.T) {
	c := newTestCache(4)
	c.Put("a", "A")
	if !c.Remove("a") || c.Remove("a") {
		t.Fatal("Remove should report presence exactly once")
	}
}

func TestGetOrLoadRecoversPanic(t *testing.T) {
	c := newTestCache(4)
	if _, err := c.GetOrLoad(context.Background(), "boom"); err == nil {
		t.Fatal("expected an error from a panicking loader")
	}
	v, err := c.GetOrLoad(context.Background(), "merge")
	if err != nil || v != "MERGE" {
		t.Fatalf("GetOrLoad = %q, %v", v, err)
	}
}

func TestWarmup(t *testing.T) {
	c := newTestCache(16)
	if err := c.Warmup(context.Background(), []string{"a", "b", "c", "d"}, 2); err != nil {
		t.Fatal(err)
	}
	if c.Len() != 4 {
		t.Fatalf("Len = %d after warmup", c.Len())
	}
}
