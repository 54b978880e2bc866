package blindc

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// App wires an HTTP server to a background worker.
type App struct {
	srv      *http.Server
	quit     chan struct{}
	done     chan struct{}
	reload   chan struct{} // cap 1
	reloaded chan struct{}
	hooks    *ShutdownHooks
}

// NewApp returns an App serving h.
func NewApp(addr string, h http.Handler) *App {
	return &App{
		srv:      &http.Server{Addr: addr, Handler: h},
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
		reload:   make(chan struct{}, 1),
		reloaded: make(chan struct{}),
		hooks:    &ShutdownHooks{},
	}
}

// ---------------------------------------------------------------------------
// defer-blocking-call

// Serve serves on ln and shuts the server down when serving stops.
func (a *App) Serve(ln net.Listener) error {
	defer a.srv.Shutdown(context.Background()) // HAZ defer-blocking-call
	err := a.srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Run serves until ctx is done, then shuts down with a deadline.
func (a *App) Run(ctx context.Context) error {
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.srv.Shutdown(sctx); err != nil { // ok: bounded by the timeout
			log.Printf("shutdown: %v", err)
		}
	}()
	errCh := make(chan error, 1)
	go func() { errCh <- a.srv.ListenAndServe() }()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errCh:
		return err
	}
}

// HandleReload asks the worker to reload and waits for it to finish.
func (a *App) HandleReload(w http.ResponseWriter, r *http.Request) {
	select {
	case a.reload <- struct{}{}:
	default:
		http.Error(w, "reload already queued", http.StatusConflict)
		return
	}
	defer func() { <-a.reloaded }() // HAZ defer-blocking-call
	w.WriteHeader(http.StatusAccepted)
}

// Stop asks the worker to quit, runs the hooks, and waits a bounded time.
func (a *App) Stop() error {
	close(a.quit)
	defer func() {
		select {
		case <-a.done: // ok: bounded by the timeout case
		case <-time.After(5 * time.Second):
			log.Printf("app: worker did not stop within 5s")
		}
	}()
	return a.hooks.RunAll()
}

// Reconfigure applies a change and pokes the worker without blocking.
func (a *App) Reconfigure(apply func() error) error {
	defer func() {
		select {
		case a.reload <- struct{}{}: // ok: select with default
		default: // a reload is already queued
		}
	}()
	return apply()
}

// ---------------------------------------------------------------------------
// lock-leaked-on-return

// ShutdownHooks runs registered cleanup functions once, in reverse order.
type ShutdownHooks struct {
	mu    sync.Mutex
	hooks []func() error
	ran   bool
}

// Add registers fn.
func (h *ShutdownHooks) Add(fn func() error) {
	h.mu.Lock()
	h.hooks = append(h.hooks, fn)
	h.mu.Unlock()
}

// RunAllStrict stops at the first failing hook.
func (h *ShutdownHooks) RunAllStrict() error {
	h.mu.Lock() // HAZ lock-leaked-on-return
	if h.ran {
		h.mu.Unlock()
		return nil
	}
	h.ran = true
	for i := len(h.hooks) - 1; i >= 0; i-- {
		if err := h.hooks[i](); err != nil {
			return fmt.Errorf("shutdown hook %d: %w", i, err)
		}
	}
	h.mu.Unlock()
	return nil
}

// RunAll copies the hooks under the lock and runs them unlocked.
func (h *ShutdownHooks) RunAll() error {
	h.mu.Lock()
	if h.ran {
		h.mu.Unlock()
		return nil
	}
	h.ran = true
	hooks := append([]func() error(nil), h.hooks...)
	h.mu.Unlock()
	var errs []error
	for i := len(hooks) - 1; i >= 0; i-- {
		if err := hooks[i](); err != nil {
			errs = append(errs, fmt.Errorf("shutdown hook %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}
