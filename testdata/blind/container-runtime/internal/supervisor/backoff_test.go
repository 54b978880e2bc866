package supervisor

import (
	"testing"
	"time"
)

func TestBackoffGrowsAndCaps(t *testing.T) {
	b := newBackoff(100*time.Millisecond, time.Second)
	var last time.Duration
	for i := 0; i < 10; i++ {
		d := b.Next()
		if d < 80*time.Millisecond || d > 1200*time.Millisecond {
			t.Fatalf("attempt %d: delay %s out of bounds", i, d)
		}
		last = d
	}
	if last < 800*time.Millisecond {
		t.Fatalf("delay did not reach the cap: %s", last)
	}
	b.Reset()
	if d := b.Next(); d > 120*time.Millisecond {
		t.Fatalf("after reset: got %s, want about 100ms", d)
	}
}
