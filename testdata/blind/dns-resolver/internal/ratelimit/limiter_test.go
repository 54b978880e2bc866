package ratelimit

import (
	"net/netip"
	"testing"
	"time"
)

func TestAllowBurstThenRefill(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := New(10, 5)
	l.now = func() time.Time { return now }
	client := netip.MustParseAddr("198.51.100.7")

	for i := range 5 {
		if !l.Allow(client) {
			t.Fatalf("request %d refused inside the burst", i)
		}
	}
	if l.Allow(client) {
		t.Fatal("request beyond the burst allowed")
	}
	now = now.Add(200 * time.Millisecond)
	if !l.Allow(client) {
		t.Error("bucket did not refill")
	}
}

func TestSameSlash24SharesBucket(t *testing.T) {
	l := New(1, 1)
	if !l.Allow(netip.MustParseAddr("203.0.113.1")) {
		t.Fatal("first request refused")
	}
	if l.Allow(netip.MustParseAddr("203.0.113.200")) {
		t.Error("neighbour in the same /24 got a fresh bucket")
	}
}

func TestExemptAndSweep(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := New(1, 1)
	l.now = func() time.Time { return now }
	l.Exempt(netip.MustParsePrefix("10.0.0.0/8"))
	for range 10 {
		if !l.Allow(netip.MustParseAddr("10.1.2.3")) {
			t.Fatal("exempt client limited")
		}
	}
	l.Allow(netip.MustParseAddr("192.0.2.1"))
	now = now.Add(time.Hour)
	if n := l.Sweep(time.Minute); n != 1 {
		t.Errorf("Sweep removed %d buckets, want 1", n)
	}
	if l.Len() != 0 {
		t.Errorf("Len = %d after sweep", l.Len())
	}
}
