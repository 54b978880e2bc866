//go:build go1.22

// This file relies on Go 1.22 loop semantics (each iteration of a loop that
// declares its variables gets fresh copies); the build constraint raises the
// file's language version above the module's go 1.21.

package keyframe

import (
	"errors"
	"sync"
	"time"
)

// RequestAll asks every publisher in ssrcs for a keyframe concurrently,
// honouring the per-SSRC gap, and returns the joined send errors.
func (t *Throttler) RequestAll(ssrcs []uint32, send func(uint32) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(ssrcs))
	for i, ssrc := range ssrcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if t.Allow(ssrc, time.Now()) {
				errs[i] = send(ssrc)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Stagger spreads keyframe requests gap apart so that the publishers of a
// large room are not all asked for an intra frame at the same instant.
func (t *Throttler) Stagger(ssrcs []uint32, gap time.Duration, send func(uint32) error) {
	var wg sync.WaitGroup
	var i int
	scheduled := 0
	for i = 0; i < len(ssrcs); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			time.Sleep(time.Duration(i) * gap)
			t.safeSend(send, ssrcs[i])
		}()
		scheduled++
	}
	wg.Wait()
	t.log.Printf("keyframe: staggered %d requests over %v", scheduled, time.Duration(scheduled)*gap)
}
