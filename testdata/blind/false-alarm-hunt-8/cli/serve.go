package cli

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"example.com/falsealarm8/pubsub"
)

// cmdServe serves a hub until ctx ends (main cancels it on SIGINT/SIGTERM).
// The deferred shutdown is bounded by its own timeout.
func cmdServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	hub := pubsub.NewHub()
	defer hub.Close()
	logf := func(format string, a ...any) { fmt.Fprintf(env.Stderr, format+"\n", a...) }
	hs := pubsub.NewHTTPServer(hub, logf)
	// The audit consumer lives as long as the process: the audit channel is
	// never closed, and handlers must always find a reader.
	go func() {
		for ev := range hs.Audit() {
			logf("audit: %s %q from %s", ev.Action, ev.Topic, ev.Remote)
		}
	}()

	srv := &http.Server{Addr: *addr, Handler: hs, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return nil
	}
}
