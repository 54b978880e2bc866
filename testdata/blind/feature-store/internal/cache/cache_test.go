package cache

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestPutRespectsVersion(t *testing.T) {
	s := New(4, time.Minute, nil)
	if !s.Put("v/e1/f", []byte("new"), 2) {
		t.Fatal("first put rejected")
	}
	if s.Put("v/e1/f", []byte("old"), 1) {
		t.Fatal("stale put accepted")
	}
	got, ok := s.Get("v/e1/f")
	if !ok || string(got) != "new" {
		t.Fatalf("Get = %q, %v", got, ok)
	}
}

func TestSweepDropsExpired(t *testing.T) {
	s := New(2, time.Millisecond, nil)
	var evicted []string
	s.OnEvict = func(k string) { evicted = append(evicted, k) }
	s.Put("a", []byte("1"), 1)
	s.Put("b", []byte("2"), 1)
	if n := s.sweep(time.Now().Add(time.Second)); n != 2 {
		t.Fatalf("sweep evicted %d, want 2", n)
	}
	slices.Sort(evicted)
	if !slices.Equal(evicted, []string{"a", "b"}) {
		t.Fatalf("evicted = %v", evicted)
	}
}

func TestKeysPrefix(t *testing.T) {
	s := New(8, time.Minute, nil)
	for _, k := range []string{"user/1/age", "user/2/age", "item/9/price"} {
		s.Put(k, []byte("x"), 1)
	}
	keys := s.Keys("user/")
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"user/1/age", "user/2/age"}) {
		t.Fatalf("Keys = %v", keys)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "warm.json.gz")
	src := New(4, time.Hour, nil)
	src.Put("user/1/age", []byte("42"), 7)
	if err := src.SaveSnapshot(path); err != nil {
		t.Fatal(err)
	}
	dst := New(4, time.Hour, nil)
	n, err := dst.LoadSnapshot(path)
	if err != nil || n != 1 {
		t.Fatalf("LoadSnapshot = %d, %v", n, err)
	}
	if v, ok := dst.Get("user/1/age"); !ok || string(v) != "42" {
		t.Fatalf("Get after load = %q, %v", v, ok)
	}
}

func TestCloseStopsEvictor(t *testing.T) {
	s := New(1, time.Minute, nil)
	s.StartEvictor(time.Millisecond)
	done := make(chan struct{})
	go func() {
		s.Close()
		s.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}
