package ratelimit

import (
	"testing"
	"time"
)

func TestAllowNBurstRefillAndPrune(t *testing.T) {
	now := time.Unix(1700000000, 0)
	l := New(2, 4)
	l.now = func() time.Time { return now }
	for i := 0; i < 4; i++ {
		if !l.AllowN("c1", 1) {
			t.Fatalf("token %d refused within burst", i)
		}
	}
	if l.AllowN("c1", 1) {
		t.Fatal("token granted past burst")
	}
	now = now.Add(time.Second)
	if !l.AllowN("c1", 2) {
		t.Fatal("refill of 2 tokens/s not applied")
	}
	now = now.Add(time.Hour)
	l.AllowN("c2", 1)
	if n := l.Prune(time.Minute); n != 1 || l.Len() != 1 {
		t.Fatalf("Prune dropped %d buckets (Len %d), want 1 (Len 1)", n, l.Len())
	}
}
