package supervisor

import (
	"math/rand/v2"
	"time"
)

// backoff yields exponentially growing delays with +/-20% jitter, so that
// services crashing together do not restart in lockstep.
type backoff struct {
	lo, hi time.Duration
	cur    time.Duration
}

func newBackoff(lo, hi time.Duration) *backoff {
	if lo <= 0 {
		lo = 100 * time.Millisecond
	}
	if hi < lo {
		hi = lo
	}
	return &backoff{lo: lo, hi: hi}
}

// Next returns the delay before the next attempt.
func (b *backoff) Next() time.Duration {
	if b.cur == 0 {
		b.cur = b.lo
	} else {
		b.cur = min(b.cur*2, b.hi)
	}
	jitter := time.Duration(rand.Int64N(int64(b.cur)/5 + 1))
	if rand.IntN(2) == 0 {
		return b.cur - jitter
	}
	return b.cur + jitter
}

// Reset starts the sequence again from the minimum delay.
func (b *backoff) Reset() { b.cur = 0 }
