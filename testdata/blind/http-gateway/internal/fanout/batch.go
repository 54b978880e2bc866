package fanout

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
)

// batchItem is one sub-request of a batch call.
type batchItem struct {
	Target string     `json:"target"`
	Query  url.Values `json:"query"`
}

func (m *Merger) target(name string) (Target, bool) {
	for _, t := range m.targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}

// ServeBatch answers POST /batch: a JSON list of sub-requests, each sent to
// its named target in parallel.
func (m *Merger) ServeBatch(w http.ResponseWriter, r *http.Request) {
	var items []batchItem
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256<<10)).Decode(&items); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), m.timeout)
	defer cancel()

	out := make([]json.RawMessage, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			t, ok := m.target(it.Target)
			if !ok {
				out[i] = json.RawMessage(`{"error":"unknown target"}`)
				return
			}
			if res := m.fetch(ctx, t, it.Query.Encode()); res.err == nil {
				out[i] = res.body
			} else {
				out[i] = json.RawMessage(`{"error":"upstream failed"}`)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// ServeIndexed answers with one slot per target, in target order.
func (m *Merger) ServeIndexed(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), m.timeout)
	defer cancel()
	out := make([]json.RawMessage, len(m.targets))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(m.targets); i++ {
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = m.fetch(ctx, m.targets[i], r.URL.RawQuery).body }() // HAZ loop-var-capture
	}
	wg.Wait()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// ServeOrdered is ServeIndexed with the index declared by the loop, so each
// goroutine has its own copy (Go 1.22 semantics).
func (m *Merger) ServeOrdered(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), m.timeout)
	defer cancel()
	out := make([]json.RawMessage, len(m.targets))
	var wg sync.WaitGroup
	for i := 0; i < len(m.targets); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = m.fetch(ctx, m.targets[i], r.URL.RawQuery).body
		}()
	}
	wg.Wait()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
