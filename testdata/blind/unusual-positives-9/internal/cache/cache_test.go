package cache

import (
	"testing"
	"time"
)

func TestSetGet(t *testing.T) {
	c := New(4, time.Minute)
	t.Cleanup(c.Close)
	c.Set("k", []byte("v"))
	got, ok := c.Get("k")
	if !ok || string(got) != "v" {
		t.Fatalf("Get = %q, %v", got, ok)
	}
	if _, ok := c.Get("missing"); ok {
		t.Fatal("Get(missing) hit")
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	if _, err := r.Add("alpha", 10); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Add("alpha", 10); err == nil {
		t.Fatal("duplicate Add succeeded")
	}
	if _, err := r.Add("bad name", 1); err == nil {
		t.Fatal("invalid name accepted")
	}
	snap := r.Snapshot()
	if len(snap) != 1 || snap[0].Name != "alpha" || r.Count() != 1 {
		t.Fatalf("Snapshot = %+v", snap)
	}
}
