package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Config is the gateway's runtime configuration.
type Config struct {
	Addr       string
	Trace      TraceConfig
	CPUProfile string
	Grace      time.Duration
}

// App runs the HTTP server.
type App struct {
	cfg     Config
	handler http.Handler
}

// NewApp returns an app serving h.
func NewApp(cfg Config, h http.Handler) *App {
	return &App{cfg: cfg, handler: h}
}

// Run serves until ctx is done, then shuts down gracefully.
func (a *App) Run(ctx context.Context) error {
	stopTrace, err := SetupTracing(a.cfg.Trace)
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	defer stopTrace() // HAZ defer-nil-func
	return a.serve(ctx)
}

// RunProfiled is Run under a CPU profile; SetupProfiling never returns nil.
func (a *App) RunProfiled(ctx context.Context) error {
	defer SetupProfiling(a.cfg.CPUProfile)()
	return a.serve(ctx)
}

// RunTraced is Run with the stop func replaced by a no-op when tracing is
// off.
func (a *App) RunTraced(ctx context.Context) error {
	stopTrace, err := SetupTracing(a.cfg.Trace)
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	if stopTrace == nil {
		stopTrace = func() {}
	}
	defer stopTrace()
	return a.serve(ctx)
}

func (a *App) serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.handler, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shCtx, cancel := context.WithTimeout(context.Background(), a.cfg.Grace)
	defer cancel()
	if err := srv.Shutdown(shCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
