package cache

import (
	"path/filepath"
	"testing"
	"time"
)

func newTestCache(now *time.Time) *Cache {
	c := New(4, time.Second, time.Hour)
	c.now = func() time.Time { return *now }
	return c
}

func TestSetGetExpiry(t *testing.T) {
	now := time.Unix(1700000000, 0)
	c := newTestCache(&now)
	c.Set(Key("Example.com.", 1), []byte{1, 2, 3}, 30*time.Second)
	if _, ok := c.Get(Key("example.com", 1)); !ok {
		t.Fatal("fresh entry missing")
	}
	now = now.Add(31 * time.Second)
	if _, ok := c.Get(Key("example.com", 1)); ok {
		t.Fatal("expired entry returned")
	}
	if n := c.RemoveExpired(); n != 1 {
		t.Fatalf("RemoveExpired = %d, want 1", n)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	now := time.Unix(1700000000, 0)
	c := newTestCache(&now)
	c.Set("a/1", []byte("alpha"), time.Minute)
	c.Set("b/28", []byte("beta"), time.Minute)
	path := filepath.Join(t.TempDir(), "cache.snap")
	if err := c.SaveSnapshot(path); err != nil {
		t.Fatal(err)
	}
	d := newTestCache(&now)
	n, err := d.LoadSnapshot(path)
	if err != nil || n != 2 {
		t.Fatalf("LoadSnapshot = %d, %v", n, err)
	}
	if got, ok := d.Get("b/28"); !ok || string(got) != "beta" {
		t.Fatalf("Get(b/28) = %q, %v", got, ok)
	}
}

func TestStopJanitorTwice(t *testing.T) {
	c := New(10, 0, 0)
	stop := c.StartJanitor(time.Millisecond, t.Logf)
	time.Sleep(5 * time.Millisecond)
	stop()
	stop()
}
