package httpapi

import (
	"context"
	"net/http"
	"time"

	"example.com/up19/internal/segment"
)

// handleLookup resolves a routing key, answering 504 when the resolver is
// slower than the API timeout.
func (a *API) handleLookup() http.HandlerFunc {
	type result struct {
		target string
		err    error
	}
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.PathValue("key")
		res := make(chan result)
		go func() {
			t, err := a.resolve(r.Context(), key)
			res <- result{t, err} // HAZ goroutine-blocked-send
		}()
		select {
		case lr := <-res:
			if lr.err != nil {
				http.Error(w, lr.err.Error(), http.StatusBadGateway)
				return
			}
			writeJSON(w, http.StatusOK, map[string]string{"key": key, "target": lr.target})
		case <-time.After(a.timeout):
			http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
		}
	}
}

// handleHealth runs every check concurrently with a deadline. The outcome
// channel has room for every check, so checks that finish after the
// deadline never block.
func (a *API) handleHealth(checks map[string]func(context.Context) error) http.HandlerFunc {
	type outcome struct {
		name string
		err  error
	}
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		results := make(chan outcome, len(checks))
		for name, check := range checks {
			go func() { results <- outcome{name, check(ctx)} }()
		}
		status := http.StatusOK
		report := make(map[string]string, len(checks))
		for range checks {
			select {
			case o := <-results:
				report[o.name] = "ok"
				if o.err != nil {
					report[o.name] = o.err.Error()
					status = http.StatusServiceUnavailable
				}
			case <-ctx.Done():
				report["_deadline"] = ctx.Err().Error()
				writeJSON(w, http.StatusServiceUnavailable, report)
				return
			}
		}
		writeJSON(w, status, report)
	}
}

// handleExport streams the newest records of the data directory as a gzip
// archive.
func (a *API) handleExport() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		recs, err := segment.Tail(a.DataDir, 1000)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/gzip")
		if err := segment.ArchiveTo(w, recs); err != nil {
			a.log.Printf("export: %v", err)
		}
	}
}

// handleBatchLookup resolves every ?key= concurrently and answers with all
// targets, or with the first error.
func (a *API) handleBatchLookup() http.HandlerFunc {
	type result struct {
		target string
		err    error
	}
	return func(w http.ResponseWriter, r *http.Request) {
		keys := r.URL.Query()["key"]
		pending := make(map[string]chan result, len(keys))
		for _, k := range keys {
			pending[k] = make(chan result)
		}
		for k := range pending {
			go func() {
				t, err := a.resolve(r.Context(), k)
				pending[k] <- result{t, err} // HAZ goroutine-blocked-send
			}()
		}
		targets := make(map[string]string, len(keys))
		for k, ch := range pending {
			lr := <-ch
			if lr.err != nil {
				http.Error(w, k+": "+lr.err.Error(), http.StatusBadGateway)
				return
			}
			targets[k] = lr.target
		}
		writeJSON(w, http.StatusOK, targets)
	}
}
