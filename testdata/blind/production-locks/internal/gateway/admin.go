package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// AdminServer serves /debug and /healthz on a private port.
type AdminServer struct {
	srv *http.Server
	log *slog.Logger
}

// Serve blocks until ctx is cancelled, then drains the admin server.
func (a *AdminServer) Serve(ctx context.Context, ln net.Listener) error {
	defer func() { // ok: Shutdown bounded by its own timeout
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.srv.Shutdown(sctx); err != nil {
			a.log.Warn("admin shutdown", "err", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

type Event struct {
	Name  string
	Attrs map[string]string
	At    time.Time
}

// EventEmitter forwards request events to the analytics pipeline.
type EventEmitter struct {
	events  chan Event
	dropped atomic.Int64
	log     *slog.Logger
}

// Track wraps a handler and emits one event per request.
func (e *EventEmitter) Track(name string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.serveTracked(name, next, w, r)
	})
}

func (e *EventEmitter) serveTracked(name string, next http.Handler, w http.ResponseWriter, r *http.Request) {
	ev := Event{Name: name, Attrs: map[string]string{"path": r.URL.Path}}
	defer func() { // ok: send bounded by a timeout
		ev.At = time.Now()
		select {
		case e.events <- ev:
		case <-time.After(50 * time.Millisecond):
			e.dropped.Add(1)
		}
	}()
	next.ServeHTTP(w, r)
}

// Downloader fetches artifacts into the local cache.
type Downloader struct {
	client *http.Client
	dir    string
}

// Fetch downloads url into the cache and returns the final path.
func (d *Downloader) Fetch(ctx context.Context, url, name string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close() // ok: plain Close
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("download %s: %s", url, resp.Status)
	}
	return d.store(resp.Body, name)
}

// store writes r to a temp file and renames it into place.
func (d *Downloader) store(r io.Reader, name string) (string, error) {
	tmp, err := os.CreateTemp(d.dir, name+".part-*")
	if err != nil {
		return "", err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // ok: single file unlink; no-op after the rename
	if _, err := io.Copy(tmp, r); err != nil {
		_ = tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	final := d.dir + "/" + name
	if err := os.Rename(tmpName, final); err != nil {
		return "", err
	}
	return final, nil
}

// Service owns the background workers of the gateway.
type Service struct {
	wg  sync.WaitGroup
	log *slog.Logger
}

func (s *Service) Go(fn func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
}

// waitWorkers waits for the workers, but never longer than d.
func (s *Service) waitWorkers(d time.Duration) {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.log.Warn("workers did not stop in time", "grace", d)
	}
}

// Stop cancels the workers and gives them a bounded grace period.
func (s *Service) Stop(cancel context.CancelFunc) {
	defer s.waitWorkers(5 * time.Second) // ok: the wait is bounded by a timer
	cancel()
	s.log.Info("gateway workers stopping")
}

// Warmer preloads caches at startup.
type Warmer struct {
	warm func()
	log  *slog.Logger
}

var errWarmupSlow = errors.New("gateway: cache warm-up still running")

// WarmWithin runs the warm-up and stops waiting after d; the warm-up
// keeps running in the background.
func (w *Warmer) WarmWithin(d time.Duration) error {
	done := make(chan struct{})
	go func() {
		defer close(done) // ok: closing never blocks, even if nobody waits
		w.warm()
	}()
	select {
	case <-done:
		return nil
	case <-time.After(d):
		w.log.Warn("cache warm-up slow, continuing in background", "waited", d)
		return errWarmupSlow
	}
}

type lookupResult struct {
	addrs []string
	err   error
}

// Resolver wraps DNS lookups with the caller's deadline.
type Resolver struct {
	res *net.Resolver
}

func (r *Resolver) lookup(host string, out chan<- lookupResult) {
	addrs, err := r.res.LookupHost(context.Background(), host)
	out <- lookupResult{addrs: addrs, err: err}
}

// LookupWithDeadline resolves host, giving up when ctx is done.
func (r *Resolver) LookupWithDeadline(ctx context.Context, host string) ([]string, error) {
	ch := make(chan lookupResult) // HAZ goroutine-blocked-send
	go r.lookup(host, ch)
	select {
	case res := <-ch:
		return res.addrs, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
