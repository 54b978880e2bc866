package cache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestLRUEvictsOldest(t *testing.T) {
	var evicted []string
	c := NewLRU(2, func(k string, _ int) { evicted = append(evicted, k) })
	c.Add("a", 1)
	c.Add("b", 2)
	c.Get("a")
	c.Add("c", 3)
	if len(evicted) != 1 || evicted[0] != "b" {
		t.Fatalf("evicted = %v, want [b]", evicted)
	}
	if got := c.Keys(); len(got) != 2 || got[0] != "c" || got[1] != "a" {
		t.Fatalf("Keys() = %v", got)
	}
}

func TestDiskCacheRoundTrip(t *testing.T) {
	dir := t.TempDir()
	d, err := OpenDisk(dir, 8, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.writeFile("k1", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	d.index.Add("k1", 5)
	var buf bytes.Buffer
	if err := d.FetchTimed("k1", &buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "hello" {
		t.Fatalf("got %q", buf.String())
	}
	if err := d.SaveIndex(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "k1 5\n" {
		t.Fatalf("index = %q", data)
	}
}
