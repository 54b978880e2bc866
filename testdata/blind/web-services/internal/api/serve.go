package api

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// ServeUntil runs srv until ctx is done or the listener fails, then shuts
// it down, giving in-flight requests at most grace to finish.
func ServeUntil(ctx context.Context, srv *http.Server, grace time.Duration) error {
	errc := make(chan error, 1) // ok: buffered, the serve goroutine never blocks
	go func() { errc <- srv.ListenAndServe() }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		srv.Shutdown(sctx) // ok: bounded by the grace timeout
	}()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		return nil
	}
}

// handleTouch bumps an item's timestamp; the audit event waits briefly for
// room in the queue and is dropped otherwise.
func (s *Server) handleTouch(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close() // ok: plain Close
	it, err := s.Store.Get(r.PathValue("id"))
	if err != nil {
		writeErr(w, err)
		return
	}
	ev := AuditEvent{Action: "touch", ID: it.ID, At: time.Now()}
	defer func() {
		select {
		case s.Audit <- ev:
		case <-time.After(20 * time.Millisecond): // ok: bounded wait
		}
	}()
	if err := s.Store.Put(it); err != nil {
		writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
