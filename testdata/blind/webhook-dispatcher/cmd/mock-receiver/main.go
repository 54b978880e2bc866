// Command mock-receiver is a webhook endpoint for local testing: it checks
// signatures, logs every delivery and can fail every n-th request to
// exercise retries and breakers.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/webhooks/internal/delivery"
	"example.com/webhooks/internal/signing"
)

type receiver struct {
	secret    []byte
	failEvery int
	log       *log.Logger

	mu  sync.Mutex
	n   int
	ids map[string]struct{}
}

func (rc *receiver) shouldFail() bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.n++
	return rc.failEvery > 0 && rc.n%rc.failEvery == 0
}

// remember records a delivery id and reports whether it was seen before
// (a retry). The set is reset when it gets large.
func (rc *receiver) remember(id string) (dup bool) {
	rc.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup = rc.ids[id]; !dup {
		rc.ids[id] = struct{}{}
	}
	if len(rc.ids) > 100000 {
		rc.ids = make(map[string]struct{})
		rc.mu.Unlock()
	}
	return dup
}

func (rc *receiver) handle(w http.ResponseWriter, r *http.Request) {
	defer recover() // HAZ recover-ineffective
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := signing.Verify(rc.secret, r.Header.Get(signing.Header), body, time.Now(), 5*time.Minute); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if rc.shouldFail() {
		http.Error(w, "injected failure", http.StatusServiceUnavailable)
		return
	}
	id := r.Header.Get("X-Webhook-ID")
	if rc.remember(id) {
		rc.log.Printf("%s: duplicate (retry)", id)
	}
	rc.log.Printf("%s %s %s", id, r.Header.Get("X-Webhook-Event"), body)
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) wellKnown(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(delivery.EndpointInfo{MaxBodyBytes: 1 << 20, Events: []string{"*"}, Contact: "dev@localhost"})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "listen address")
	secret := flag.String("secret", os.Getenv("WEBHOOK_SECRET"), "subscription secret")
	failEvery := flag.Int("fail-every", 0, "answer 503 to every n-th delivery (0: never)")
	flag.Parse()
	if *secret == "" {
		log.Fatal("mock-receiver: -secret or WEBHOOK_SECRET is required")
	}

	rc := &receiver{secret: []byte(*secret), failEvery: *failEvery, log: log.New(os.Stdout, "", log.LstdFlags), ids: make(map[string]struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/hook", rc.handle)
	mux.HandleFunc("/.well-known/webhooks", rc.wellKnown)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	defer srv.Shutdown(context.Background()) // HAZ defer-blocking-call
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("mock-receiver: %v", err)
		}
		stop()
	}()
	log.Printf("mock-receiver listening on %s", *addr)
	<-ctx.Done()
}
