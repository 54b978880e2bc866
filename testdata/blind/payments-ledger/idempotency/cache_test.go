package idempotency

import (
	"context"
	"testing"
	"time"
)

func TestBeginThenReplay(t *testing.T) {
	c := New(time.Minute, 10)
	if _, started, err := c.Begin("k1"); err != nil || !started {
		t.Fatalf("first Begin: started=%v err=%v", started, err)
	}
	if err := c.Complete("k1", 201, []byte(`{"id":"e1"}`)); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	rec, started, err := c.Begin("k1")
	if err != nil || started {
		t.Fatalf("second Begin: started=%v err=%v", started, err)
	}
	if rec.State != Done || rec.Status != 201 {
		t.Fatalf("replayed record = %+v", rec)
	}
}

func TestWaitSeesCompletion(t *testing.T) {
	c := New(time.Minute, 10)
	if _, _, err := c.Begin("k"); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		if err := c.Complete("k", 200, []byte("ok")); err != nil {
			t.Errorf("Complete: %v", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	rec, err := c.Wait(ctx, "k")
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if string(rec.Body) != "ok" {
		t.Fatalf("body = %q", rec.Body)
	}
}

func TestSweepDropsExpired(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := New(time.Second, 10)
	c.now = func() time.Time { return now }
	for _, k := range []string{"a", "b"} {
		if _, _, err := c.Begin(k); err != nil {
			t.Fatal(err)
		}
		if err := c.Complete(k, 200, nil); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(2 * time.Second)
	if n := c.Sweep(); n != 2 {
		t.Fatalf("Sweep() = %d, want 2", n)
	}
}
