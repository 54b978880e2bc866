package fanout

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"

	"example.com/gateway/internal/obs"
)

// Collect gathers the results that arrive before ctx ends.
func (m *Merger) Collect(ctx context.Context, query string) []result {
	ch := make(chan result, len(m.targets))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, t := range m.targets {
		go func() { ch <- m.fetch(ctx, t, query) }()
	}
	out := make([]result, 0, len(m.targets))
	for range m.targets {
		select {
		case res := <-ch:
			out = append(out, res)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// CollectAll waits for every target; each fetch is bounded by ctx.
func (m *Merger) CollectAll(ctx context.Context, query string) []result {
	var wg sync.WaitGroup
	ch := make(chan result, len(m.targets))
	defer close(ch)
	for _, t := range m.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- m.fetch(ctx, t, query)
		}()
	}
	wg.Wait()
	out := make([]result, 0, len(m.targets))
	for range m.targets {
		out = append(out, <-ch)
	}
	return out
}

// Stream delivers results as they arrive; the channel is closed when every
// target has answered or ctx ends.
func (m *Merger) Stream(ctx context.Context, query string) <-chan result {
	out := make(chan result)
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		inner := make(chan result, len(m.targets))
		for _, t := range m.targets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				inner <- m.fetch(ctx, t, query)
			}()
		}
		go func() {
			wg.Wait()
			close(inner)
		}()
		for res := range inner {
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Merge fans out with a deadline and returns the successful bodies by target.
func (m *Merger) Merge(ctx context.Context, query string) (map[string]json.RawMessage, error) {
	defer obs.Track("fanout.merge") // HAZ defer-func-result-not-called
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	merged := make(map[string]json.RawMessage)
	var errs []error
	for _, res := range m.CollectAll(ctx, query) {
		if res.err != nil {
			errs = append(errs, res.err)
			continue
		}
		merged[res.name] = res.body
	}
	if len(merged) == 0 {
		return nil, errors.Join(errs...)
	}
	return merged, nil
}

// Warm fires query at every target to populate their caches and returns how
// many failed.
func (m *Merger) Warm(ctx context.Context, query string) int {
	var (
		wg     sync.WaitGroup
		failed atomic.Int32
	)
	for _, t := range m.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := m.fetch(ctx, t, query)
			if res.err != nil {
				failed.Add(1)
				m.logger.Printf("warm %s: %v", t.Name, res.err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return int(failed.Load())
}

type hit struct {
	Target string  `json:"target"`
	ID     string  `json:"id"`
	Score  float64 `json:"score"`
}

// rank merges the per-target hit lists into one list, best first.
func rank(results []result, limit int) []hit {
	var all []hit
	for _, res := range results {
		var hits []hit
		if res.err != nil || json.Unmarshal(res.body, &hits) != nil {
			continue
		}
		for i := range hits {
			hits[i].Target = res.name
		}
		all = append(all, hits...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Score > all[j].Score })
	return all[:min(limit, len(all))]
}

// ServeSearch fans a search out and answers with the merged ranking. Ranking
// code has had index bugs, so a panic there becomes a 500 for this request.
func (m *Merger) ServeSearch(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			m.logger.Printf("search %q panicked: %v", r.URL.RawQuery, rec)
			http.Error(w, "search failed", http.StatusInternalServerError)
		}
	}()
	ctx, cancel := context.WithTimeout(r.Context(), m.timeout)
	defer cancel()

	ch := make(chan result, len(m.targets))
	for _, t := range m.targets {
		go func() { ch <- m.fetch(ctx, t, r.URL.RawQuery) }() // HAZ goroutine-outside-recover
	}
	var results []result
	for range m.targets {
		select {
		case res := <-ch:
			results = append(results, res)
		case <-ctx.Done():
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rank(results, 50))
}
