package cache

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestGetOrLoadCaches(t *testing.T) {
	c := New(time.Minute)
	calls := 0
	load := func(ctx context.Context, key string) ([]byte, error) {
		calls++
		return []byte("v:" + key), nil
	}
	for i := 0; i < 3; i++ {
		v, err := c.GetOrLoad(context.Background(), "k", load)
		if err != nil || string(v) != "v:k" {
			t.Fatalf("GetOrLoad = %q, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("loader called %d times, want 1", calls)
	}
}

func TestRefreshReportsFirstError(t *testing.T) {
	c := New(time.Minute)
	boom := errors.New("backend down")
	err := Refresh(context.Background(), c, []string{"a", "b", "c"}, 2, func(ctx context.Context, key string) ([]byte, error) {
		if key == "b" {
			return nil, boom
		}
		return []byte(key), nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Refresh = %v, want %v", err, boom)
	}
	if !c.Has("a") || !c.Has("c") {
		t.Fatal("successful keys were not cached")
	}
}
