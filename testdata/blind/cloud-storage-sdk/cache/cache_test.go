package cache

import (
	"bytes"
	"strings"
	"testing"
)

func openTestCache(t *testing.T, max int64) *Cache {
	t.Helper()
	c, err := Open(t.TempDir(), max)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGetMiss(t *testing.T) {
	c := openTestCache(t, 1<<20)
	if f, ok := c.Get("nope"); ok {
		f.Close()
		t.Fatal("Get on empty cache hit")
	}
	if s := c.Snapshot(); s.Misses != 1 {
		t.Fatalf("misses = %d, want 1", s.Misses)
	}
}

func TestCopyToPinsEntry(t *testing.T) {
	c := openTestCache(t, 1<<20)
	if _, err := c.writeObject("k", strings.NewReader("payload")); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	c.entries["k"] = &Entry{Key: "k", Size: 7}
	c.size = 7
	c.mu.Unlock()
	var buf bytes.Buffer
	if _, err := c.CopyTo("k", &buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "payload" {
		t.Fatalf("CopyTo wrote %q", buf.String())
	}
	if c.entries["k"].pins != 0 {
		t.Fatalf("entry still pinned: %d", c.entries["k"].pins)
	}
}

func TestTrimEvictsOldest(t *testing.T) {
	c := openTestCache(t, 1<<20)
	for _, k := range []string{"a", "b", "c"} {
		if _, err := c.writeObject(k, strings.NewReader("0123456789")); err != nil {
			t.Fatal(err)
		}
		c.mu.Lock()
		c.entries[k] = &Entry{Key: k, Size: 10}
		c.size += 10
		c.mu.Unlock()
	}
	n, err := c.Trim(15)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || c.Len() != 1 {
		t.Fatalf("Trim evicted %d, %d left", n, c.Len())
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	c.entries["x"] = &Entry{Key: "x", Size: 3, ETag: "e"}
	c.mu.Unlock()
	if err := c.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	entries, err := loadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := entries["x"]; !ok || e.ETag != "e" {
		t.Fatalf("reloaded index = %+v", entries)
	}
}

func TestPrefetchDoesNotBlock(t *testing.T) {
	c := openTestCache(t, 1<<20)
	c.prefetch = make(chan string, 1)
	if !c.Prefetch("a") {
		t.Fatal("first Prefetch not queued")
	}
	if c.Prefetch("b") {
		t.Fatal("second Prefetch queued past capacity")
	}
}
