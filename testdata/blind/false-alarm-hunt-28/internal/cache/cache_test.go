package cache

import (
	"path/filepath"
	"testing"
	"time"
)

func TestGetPutEvicts(t *testing.T) {
	c := New(t.TempDir(), 2)
	c.Put("a", "out-a", 1)
	c.Put("b", "out-b", 1)
	c.Put("c", "out-c", 1)
	if _, ok := c.Get("a"); ok {
		t.Fatal("oldest entry was not evicted")
	}
	if out, ok := c.Get("c"); !ok || out != "out-c" {
		t.Fatalf("Get(c) = %q, %v", out, ok)
	}
	if s := c.Stats(); s.Hits != 1 || s.Misses != 1 {
		t.Fatalf("unexpected stats %+v", s)
	}
}

func TestPruneKeepsPinned(t *testing.T) {
	c := New(t.TempDir(), 10)
	c.Put("a", "x", 1)
	c.Put("b", "y", 1)
	if err := c.Pin("a"); err != nil {
		t.Fatal(err)
	}
	if n := c.Prune([]string{"a", "b"}, -time.Second); n != 1 {
		t.Fatalf("pruned %d, want 1", n)
	}
	if c.Len() != 1 {
		t.Fatalf("len = %d, want 1", c.Len())
	}
}

func TestIndexMergeAndSave(t *testing.T) {
	a, b := NewIndex(), NewIndex()
	a.Set("k1", Meta{Size: 1})
	b.Set("k2", Meta{Size: 2})
	if n := a.Merge(b); n != 1 {
		t.Fatalf("merged %d, want 1", n)
	}
	if n := a.Merge(a); n != 0 {
		t.Fatalf("self-merge added %d", n)
	}
	path := filepath.Join(t.TempDir(), "index.json")
	if err := a.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := back.Lookup("k2"); !ok {
		t.Fatal("k2 lost in round trip")
	}
}

func TestDiskStorePutVerify(t *testing.T) {
	d, err := NewDiskStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	id, err := d.Put([]byte("object"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.verify(id); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveLog("act", []byte("ok\n")); err != nil {
		t.Fatal(err)
	}
}
