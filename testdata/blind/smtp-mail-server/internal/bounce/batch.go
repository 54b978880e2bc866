package bounce

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// BuildAll builds the bounces for failures in parallel, sixteen at a time
// to bound memory; the result slices are indexed like failures.
func (g *Generator) BuildAll(failures []Failure, original []byte) ([][]byte, error) {
	out := make([][]byte, len(failures))
	errs := make([]error, len(failures))
	now := time.Now()
	var wg sync.WaitGroup
	for i, f := range failures {
		wg.Add(1)
		go func() { defer wg.Done(); out[i], errs[i] = g.Build(f, original, now) }() // HAZ loop-var-capture
		if i%16 == 15 {
			wg.Wait()
		}
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// SafeBuild is Build for callers that must never crash on a malformed
// failure record (the queue's bounce path).
func (g *Generator) SafeBuild(f Failure, original []byte) (msg []byte, err error) {
	defer func() {
		report := func() {
			if p := recover(); p != nil { // HAZ recover-ineffective
				err = fmt.Errorf("bounce: building report for %s panicked: %v", f.ID, p)
			}
		}
		report()
	}()
	return g.Build(f, original, time.Now())
}
