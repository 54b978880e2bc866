//go:build go1.22

// This file ranges over integers, which needs Go 1.22.

package attributesprocessor

import (
	"sync"

	"example.com/fah30/pdata"
)

// redactSpans masks pattern matches in attribute values, one goroutine per
// worker, each taking every workers-th span.
func (p *Processor) redactSpans(spans []pdata.Span) {
	var wg sync.WaitGroup
	counts := make([]int64, p.workers)
	for w := range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(spans); i += p.workers {
				counts[w] += int64(p.redactSpan(&spans[i]))
			}
		}()
	}
	wg.Wait()
	for _, n := range counts {
		p.redacted.Add(n)
	}
}

func (p *Processor) redactSpan(s *pdata.Span) int {
	n := 0
	for k, v := range s.Attributes {
		for _, re := range p.redact {
			if re.MatchString(v) {
				v = re.ReplaceAllString(v, "****")
				n++
			}
		}
		s.Attributes[k] = v
	}
	return n
}
