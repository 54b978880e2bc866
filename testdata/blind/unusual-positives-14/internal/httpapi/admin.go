package httpapi

import (
	"context"
	"net/http"
	"strings"
	"sync"
)

// Admin exposes cache maintenance endpoints and tells peers about purges.
type Admin struct {
	h      *Handler
	peers  []string
	notify func(ctx context.Context, peer, key string) error
}

// NewAdmin returns the admin endpoints for h.
func NewAdmin(h *Handler, peers []string, notify func(context.Context, string, string) error) *Admin {
	return &Admin{h: h, peers: peers, notify: notify}
}

// Purge drops ?key= locally and tells every peer to drop it too.
func (a *Admin) Purge(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, peer := range a.peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// a purge must reach every peer even if the client hangs up
			a.notify(context.WithoutCancel(r.Context()), peer, key)
		}()
	}
	a.h.pages.Delete(key)
	w.WriteHeader(http.StatusNoContent)
}

// Invalidate drops ?key= locally and on every peer, and answers only when the
// peers have confirmed, within the request's own deadline.
func (a *Admin) Invalidate(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	errs := make([]error, len(a.peers))
	var wg sync.WaitGroup
	for i, peer := range a.peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = a.notify(r.Context(), peer, key)
		}()
	}
	a.h.pages.Delete(key)
	wg.Wait()
	var failed []string
	for i, err := range errs {
		if err != nil {
			failed = append(failed, a.peers[i])
		}
	}
	if len(failed) > 0 {
		http.Error(w, "not confirmed by "+strings.Join(failed, ", "), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Preview renders ?key= for the admin UI, giving up when the client leaves.
func (a *Admin) Preview(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	type result struct {
		body []byte
		err  error
	}
	done := make(chan result)
	go func() {
		body, err := a.h.render(context.WithoutCancel(r.Context()), key)
		done <- result{body, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		w.Write(res.body)
	case <-r.Context().Done():
		return
	}
}
