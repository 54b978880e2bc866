package cache

import (
	"context"
	"errors"
	"testing"
	"time"
)

func newTestCache(t *testing.T) (*Cache, *time.Time) {
	t.Helper()
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(time.Minute)
	c.now = func() time.Time { return now }
	return c, &now
}

func TestGetSet(t *testing.T) {
	c, _ := newTestCache(t)
	c.Set("acme", "k", []byte("v"))
	got, ok := c.Get("acme", "k")
	if !ok || string(got) != "v" {
		t.Fatalf("Get = %q, %v", got, ok)
	}
	if _, ok := c.Get("globex", "k"); ok {
		t.Fatal("value leaked across tenants")
	}
}

func TestExpiry(t *testing.T) {
	c, now := newTestCache(t)
	c.Set("acme", "k", []byte("v"))
	*now = now.Add(2 * time.Minute)
	if _, ok := c.Get("acme", "k"); ok {
		t.Fatal("expired entry returned")
	}
	if n := c.Sweep(); n != 1 {
		t.Fatalf("Sweep = %d, want 1", n)
	}
}

func TestGetOrLoadError(t *testing.T) {
	c, _ := newTestCache(t)
	boom := errors.New("boom")
	_, err := c.GetOrLoad(context.Background(), "acme", "k", func(context.Context) ([]byte, error) {
		return nil, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if _, ok := c.Get("acme", "k"); ok {
		t.Fatal("failed load was cached")
	}
}

func TestSweeperStops(t *testing.T) {
	c, _ := newTestCache(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := NewSweeper(c, time.Millisecond, nil)
	go s.Run(ctx)
	cancel()
	select {
	case <-s.Done():
	case <-time.After(time.Second):
		t.Fatal("sweeper did not stop")
	}
}
