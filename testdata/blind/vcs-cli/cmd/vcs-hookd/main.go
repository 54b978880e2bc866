// Command vcs-hookd receives webhook events over HTTP and runs the matching
// repository hooks as child processes.
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"example.com/vcscli/internal/hooks"
	"example.com/vcscli/internal/repo"
)

type daemon struct {
	runner   *hooks.Runner
	secret   []byte
	throttle time.Duration
	events   chan hooks.Event
	logger   *log.Logger
	dropped  atomic.Int64
}

type eventRequest struct {
	Hook string   `json:"hook"`
	Args []string `json:"args"`
}

// verify checks the X-Signature header, an HMAC-SHA256 of the body.
func (d *daemon) verify(body []byte, sig string) bool {
	mac := hmac.New(sha256.New, d.secret)
	mac.Write(body)
	want := mac.Sum(nil)
	got, err := hex.DecodeString(sig)
	return err == nil && hmac.Equal(got, want)
}

// readEvent authenticates and decodes a request body.
func (d *daemon) readEvent(req *http.Request) (eventRequest, error) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 64<<10))
	if err != nil {
		return eventRequest{}, err
	}
	if !d.verify(body, req.Header.Get("X-Signature")) {
		return eventRequest{}, errors.New("bad signature")
	}
	var ev eventRequest
	if err := json.Unmarshal(body, &ev); err != nil {
		return eventRequest{}, err
	}
	if ev.Hook == "" {
		return eventRequest{}, errors.New("missing hook name")
	}
	return ev, nil
}

// enqueue hands an event to the dispatcher without ever blocking the
// request.
func (d *daemon) enqueue(ev hooks.Event) bool {
	select {
	case d.events <- ev:
		return true
	default:
		d.dropped.Add(1)
		return false
	}
}

func (d *daemon) handleEvent(w http.ResponseWriter, req *http.Request) {
	ev, err := d.readEvent(req)
	if err != nil {
		defer time.Sleep(d.throttle) // HAZ defer-blocking-call
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if !d.enqueue(hooks.Event{Hook: ev.Hook, Args: ev.Args, Deadline: time.Now().Add(5 * time.Minute)}) {
		http.Error(w, "queue full", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (d *daemon) handleRun(w http.ResponseWriter, req *http.Request) {
	ev, err := d.readEvent(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	done := make(chan error)
	go func() {
		done <- d.runner.Run(context.Background(), ev.Hook, ev.Args...) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(30 * time.Second):
		http.Error(w, "hook still running", http.StatusGatewayTimeout)
	}
}

func (d *daemon) handleRunSync(w http.ResponseWriter, req *http.Request) {
	ev, err := d.readEvent(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	ctx, cancel := context.WithTimeout(req.Context(), 30*time.Second)
	defer cancel()
	if err := d.runner.Run(ctx, ev.Hook, ev.Args...); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (d *daemon) handleStatus(w http.ResponseWriter, req *http.Request) {
	names, err := d.runner.List()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"hooks":   names,
		"queued":  len(d.events),
		"dropped": d.dropped.Load(),
	})
}

func main() {
	addr := flag.String("listen", "127.0.0.1:8420", "address to listen on")
	root := flag.String("repo", ".", "repository whose hooks are run")
	flag.Parse()

	r, err := repo.Open(*root)
	if err != nil {
		log.Fatal(err)
	}
	secret := []byte(os.Getenv("VCS_HOOKD_SECRET"))
	if len(secret) == 0 {
		log.Fatal("VCS_HOOKD_SECRET is not set")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()

	logger := log.New(os.Stderr, "vcs-hookd: ", log.LstdFlags)
	d := &daemon{runner: r.Hooks, secret: secret, throttle: time.Second, events: make(chan hooks.Event, 64), logger: logger}
	dispatchCtx, stopDispatch := context.WithCancel(context.Background())
	defer stopDispatch()
	go d.runner.DispatchEach(dispatchCtx, d.events)

	mux := http.NewServeMux()
	mux.HandleFunc("/event", d.handleEvent)
	mux.HandleFunc("/run", d.handleRun)
	mux.HandleFunc("/run-sync", d.handleRunSync)
	mux.HandleFunc("/status", d.handleStatus)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		logger.Printf("received %s, shutting down", s)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()

	logger.Printf("listening on %s", ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serve: %v", err)
	}
}
