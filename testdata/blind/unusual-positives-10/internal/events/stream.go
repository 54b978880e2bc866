package events

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// watchStatus polls the order and sends every new status to out until ctx
// is done.
func (h *OrderHandler) watchStatus(ctx context.Context, id string, out chan<- string) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			o, ok := h.store.Get(id)
			if ok && o.Status != last {
				last = o.Status
				out <- o.Status
			}
		}
	}
}

// Stream sends the status changes of one order as server-sent events until
// the client goes away.
func (h *OrderHandler) Stream(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	updates := make(chan string, 16)
	defer close(updates) // HAZ defer-close-chan-with-sender
	go h.watchStatus(r.Context(), r.PathValue("id"), updates)
	w.Header().Set("Content-Type", "text/event-stream")
	for {
		select {
		case <-r.Context().Done():
			return
		case st := <-updates:
			fmt.Fprintf(w, "data: %s\n\n", st)
			flusher.Flush()
		}
	}
}

// waitChange sends the first status different from current, at most once.
func (h *OrderHandler) waitChange(ctx context.Context, id, current string, out chan<- string) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if o, ok := h.store.Get(id); ok && o.Status != current {
				out <- o.Status
				return
			}
		}
	}
}

// Poll is the long-poll form of Stream: it answers with the next status or
// 204 after 25 seconds. The one-slot channel lets the late sender finish.
func (h *OrderHandler) Poll(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	o, ok := h.store.Get(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 25*time.Second)
	defer cancel()
	changed := make(chan string, 1)
	go h.waitChange(ctx, id, o.Status, changed)
	select {
	case st := <-changed:
		writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": st})
	case <-ctx.Done():
		w.WriteHeader(http.StatusNoContent)
	}
}
