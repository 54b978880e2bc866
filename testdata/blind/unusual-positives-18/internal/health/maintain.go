package health

import (
	"sync"
	"time"

	"example.com/up18/internal/probe"
)

// Maintain sweeps old files out of dirs and compacts and verifies segs, all
// concurrently, and returns every error reported.
func (m *Monitor) Maintain(dirs, segs []string, maxAge time.Duration) []error {
	var wg sync.WaitGroup
	errs := make(chan error, len(dirs)+2*len(segs))
	t := probe.NewTracker("maintain", &wg, errs)
	for _, d := range dirs {
		wg.Add(1)
		go probe.Sweep(t, d, maxAge)
	}
	for _, s := range segs {
		wg.Add(2)
		go probe.Compact(t, s)
		go probe.Verify(t, s)
	}
	wg.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}
