package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/unusualpos4/internal/plugin"
)

type server struct {
	reg      *plugin.Registry
	inflight sync.WaitGroup
	mu       sync.Mutex
	status   map[string]string
}

func newServer(reg *plugin.Registry) *server {
	return &server{reg: reg, status: make(map[string]string)}
}

// async runs fn in the background, tracked so that shutdown can wait for it.
func (sv *server) async(fn func()) {
	sv.inflight.Add(1)
	go func() {
		defer sv.inflight.Done()
		fn()
	}()
}

// waitCtx waits for the background work started by async, or until ctx is done.
func (sv *server) waitCtx(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		sv.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jrd: background work still running: %w", ctx.Err())
	}
}

// describe builds the status line for a task; it may consult plugins.
func (sv *server) describe(ctx context.Context, id string) string {
	sv.mu.Lock()
	st, ok := sv.status[id]
	sv.mu.Unlock()
	if !ok {
		st = "unknown"
	}
	if out, err := sv.reg.Invoke(ctx, "describe", []string{id}); err == nil {
		return fmt.Sprintf("%s: %s (%s)", id, st, strings.TrimSpace(string(out)))
	}
	return fmt.Sprintf("%s: %s", id, st)
}

// handleStatus reports a task's status, giving the plugins two seconds.
func (sv *server) handleStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	reply := make(chan string)
	sv.async(func() {
		reply <- sv.describe(context.WithoutCancel(r.Context()), id) // HAZ goroutine-blocked-send
	})
	select {
	case line := <-reply:
		fmt.Fprintln(w, line)
	case <-r.Context().Done():
		return
	case <-time.After(2 * time.Second):
		http.Error(w, "status: timed out", http.StatusGatewayTimeout)
	}
}

// handlePlugin runs a plugin action with the request body as arguments.
func (sv *server) handlePlugin(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()

	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	sv.async(func() {
		out, err := sv.reg.Invoke(ctx, name, strings.Fields(string(body)))
		done <- result{out, err}
	})
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		w.Write(res.out)
	case <-ctx.Done():
		http.Error(w, "plugin timed out", http.StatusGatewayTimeout)
	}
}
