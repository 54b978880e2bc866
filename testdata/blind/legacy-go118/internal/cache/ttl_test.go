package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestTTLPutGet(t *testing.T) {
	cases := []struct {
		name    string
		max     int
		puts    []string
		wantErr error
	}{
		{"fits", 2, []string{"a", "b"}, nil},
		{"overwrite", 1, []string{"a", "a"}, nil},
		{"full", 1, []string{"a", "b"}, ErrFull},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := NewTTL(tc.max)
			var err error
			for _, k := range tc.puts {
				if err = c.Put(k, "v-"+k, time.Minute); err != nil {
					break
				}
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestTTLExpiry(t *testing.T) {
	now := time.Unix(1000, 0)
	c := NewTTL(4)
	c.now = func() time.Time { return now }
	if err := c.Put("k", "v", time.Second); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		advance time.Duration
		want    bool
	}{
		{0, true},
		{500 * time.Millisecond, true},
		{time.Second, false},
	} {
		now = now.Add(step.advance)
		if _, ok := c.Get("k"); ok != step.want {
			t.Errorf("after %v: ok = %v, want %v", step.advance, ok, step.want)
		}
	}
	if n := c.EvictExpired(); n != 1 {
		t.Fatalf("EvictExpired = %d", n)
	}
}

func TestReadThroughConcurrent(t *testing.T) {
	var mu sync.Mutex
	loads := make(map[string]int)
	c := NewReadThrough(LoaderFunc(func(ctx context.Context, key string) ([]byte, error) {
		mu.Lock()
		loads[key]++
		mu.Unlock()
		return []byte("v-" + key), nil
	}))
	keys := []string{"a", "b", "c", "d"}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			k := keys[i%len(keys)]
			if _, err := c.Get(context.Background(), k); err != nil {
				t.Errorf("Get(%s): %v", k, err)
			}
		}(i)
	}
	wg.Wait()
	if got := len(c.Keys()); got != len(keys) {
		t.Fatalf("cached %d keys, want %d", got, len(keys))
	}
}

func TestWarmBounded(t *testing.T) {
	c := NewReadThrough(LoaderFunc(func(ctx context.Context, key string) ([]byte, error) {
		return []byte(key), nil
	}))
	var keys []string
	for i := 0; i < 20; i++ {
		keys = append(keys, fmt.Sprintf("k%02d", i))
	}
	c.WarmBounded(context.Background(), keys, 3)
	if _, misses := c.Stats(); misses != 20 {
		t.Fatalf("misses = %d", misses)
	}
}
