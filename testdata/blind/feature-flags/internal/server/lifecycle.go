package server

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"example.com/flagsvc/internal/stream"
)

// Run serves the API on addr until ctx is cancelled, then shuts down
// gracefully: SSE streams are closed first so that Shutdown does not wait for
// them, in-flight requests get ShutdownTimeout to finish.
func (s *Server) Run(ctx context.Context, addr string) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           s.Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	var debugLn net.Listener
	if s.debugAddr != "" {
		ln, err := net.Listen("tcp", s.debugAddr)
		if err != nil {
			return err
		}
		debugLn = ln
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.runNotifier(ctx)
	}()
	if debugLn != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.ServeDebug(ctx, debugLn); err != nil {
				s.logger.Printf("debug server: %v", err)
			}
		}()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()

	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		err = s.shutdown(srv)
		if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}
	cancel()
	wg.Wait()
	return err
}

func (s *Server) shutdown(srv *http.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.shutdownTimeout)
	defer cancel()
	s.broker.Close()
	return srv.Shutdown(ctx)
}

// runNotifier forwards every published change to the webhooks.
func (s *Server) runNotifier(ctx context.Context) {
	if s.notifier == nil {
		return
	}
	sub, _ := s.broker.Subscribe(0)
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-sub.Events():
			if !ok {
				return
			}
			s.guard("webhooks", func() { s.deliver(ctx, ev) })
		}
	}
}

// deliver notifies the webhooks about one event with a bounded deadline.
func (s *Server) deliver(ctx context.Context, ev stream.Event) {
	defer s.metrics.Timer("webhook_delivery_ms")()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s.notifier.Notify(ctx, ev)
}

// ServeDebug serves the debug endpoints on ln until ctx is done.
func (s *Server) ServeDebug(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.debugRoutes(), ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			s.logger.Printf("debug server shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return nil
	}
}

func (s *Server) debugRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/stream", func(w http.ResponseWriter, _ *http.Request) {
		subs, dropped := s.broker.Stats()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]int64{"subscribers": int64(subs), "dropped": dropped})
	})
	mux.HandleFunc("GET /debug/events", func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s.broker.History(after))
	})
	mux.Handle("GET /debug/metrics", s.metrics.Handler())
	return mux
}
