//go:build go1.21

// The constraint dates from when hash_legacy.go held a sequential fallback for
// toolchains older than Go 1.21; the fallback has since been deleted.

package attributesprocessor

import (
	"sync"

	"example.com/fah30/pdata"
)

// hashSpans replaces the values of the configured keys by their SHA-256, one
// goroutine per chunk of spans.
func (p *Processor) hashSpans(spans []pdata.Span) {
	parts := chunks(spans, p.workers)
	counts := make([]int, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for j := range part {
				p.hashSpan(&part[j])
			}
			counts[i] = len(part)
		}()
		p.hashChunks.Add(1)
	}
	wg.Wait()
	total := 0
	for _, n := range counts {
		total += n
	}
	p.hashed.Add(int64(total))
}
