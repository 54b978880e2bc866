package httpx

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// Admin serves operational endpoints (health, stats) on their own listener
// so that they stay reachable while the public server drains.
type Admin struct {
	srv     *http.Server
	ready   atomic.Bool
	statsFn func() any
}

// NewAdmin builds the admin mux. statsFn may be nil.
func NewAdmin(statsFn func() any, lg *log.Logger) *Admin {
	a := &Admin{statsFn: statsFn}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /stats", a.stats)
	a.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 2 * time.Second,
		ErrorLog:          lg,
	}
	return a
}

// Serve serves the admin endpoints on ln until ctx is done.
func (a *Admin) Serve(ctx context.Context, ln net.Listener) error {
	a.ready.Store(true)
	errCh := make(chan error)
	go func() {
		errCh <- a.srv.Serve(ln) // HAZ goroutine-blocked-send
	}()

	select {
	case err := <-errCh:
		a.ready.Store(false)
		return err
	case <-ctx.Done():
	}

	a.ready.Store(false)
	shCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return a.srv.Shutdown(shCtx)
}

func (a *Admin) healthz(w http.ResponseWriter, _ *http.Request) {
	if !a.ready.Load() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
}

func (a *Admin) stats(w http.ResponseWriter, _ *http.Request) {
	if a.statsFn == nil {
		WriteError(w, http.StatusNotFound, errors.New("no stats configured"))
		return
	}
	WriteJSON(w, http.StatusOK, a.statsFn())
}
