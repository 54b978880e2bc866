package frontier

import (
	"net/url"
	"path/filepath"
	"testing"
	"time"
)

func mustItem(t *testing.T, raw string, depth int) Item {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return Item{URL: u, Depth: depth}
}

func TestNextRoundRobinAndDelay(t *testing.T) {
	f := New(time.Second, 0)
	for _, raw := range []string{"https://a.example/1", "https://a.example/2", "https://b.example/1"} {
		if err := f.Push(mustItem(t, raw, 0)); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	first, _, err := f.Next(now)
	if err != nil || first == nil {
		t.Fatalf("Next = %v, %v", first, err)
	}
	second, _, err := f.Next(now)
	if err != nil || second == nil {
		t.Fatalf("Next = %v, %v", second, err)
	}
	if first.URL.Host == second.URL.Host {
		t.Fatalf("same host twice in a row: %s", first.URL.Host)
	}
	it, wait, err := f.Next(now)
	if err != nil || it != nil || wait <= 0 {
		t.Fatalf("third Next = %v, %s, %v; want a wait", it, wait, err)
	}
	if got := f.Len(); got != 1 {
		t.Fatalf("Len = %d, want 1", got)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	f := New(0, 0)
	f.Push(mustItem(t, "https://a.example/x", 2))
	f.Push(mustItem(t, "https://b.example/y", 1))
	path := filepath.Join(t.TempDir(), "frontier.txt")
	if err := f.Snapshot().Save(path); err != nil {
		t.Fatal(err)
	}
	items, err := LoadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].Depth != 2 || items[1].URL.Host != "b.example" {
		t.Fatalf("loaded %+v", items)
	}
}
