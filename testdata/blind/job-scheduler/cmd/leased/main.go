// Command leased exposes a lease manager over HTTP for jobs that run
// outside the scheduler (ad-hoc scripts that must not overlap).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"example.com/jobscheduler/internal/lease"
)

type handler struct {
	m *lease.Manager
}

func newHandler(m *lease.Manager) http.Handler {
	h := &handler{m: m}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /leases/{name}", h.acquire)
	mux.HandleFunc("PUT /leases/{name}", h.renew)
	mux.HandleFunc("DELETE /leases/{name}", h.release)
	return mux
}

func (h *handler) acquire(w http.ResponseWriter, r *http.Request) {
	holder := r.URL.Query().Get("holder")
	if holder == "" {
		http.Error(w, "holder is required", http.StatusBadRequest)
		return
	}
	l, err := h.m.Acquire(r.PathValue("name"), holder)
	if errors.Is(err, lease.ErrHeld) {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(l)
}

func tokenOf(r *http.Request) (uint64, error) {
	return strconv.ParseUint(r.URL.Query().Get("token"), 10, 64)
}

func (h *handler) renew(w http.ResponseWriter, r *http.Request) {
	token, err := tokenOf(r)
	if err != nil {
		http.Error(w, "bad token", http.StatusBadRequest)
		return
	}
	l, err := h.m.Renew(r.PathValue("name"), token)
	if err != nil {
		http.Error(w, err.Error(), http.StatusGone)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(l)
}

func (h *handler) release(w http.ResponseWriter, r *http.Request) {
	token, err := tokenOf(r)
	if err != nil {
		http.Error(w, "bad token", http.StatusBadRequest)
		return
	}
	if !h.m.Release(r.PathValue("name"), token) {
		http.Error(w, "not held", http.StatusGone)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	addr := flag.String("addr", ":8090", "listen address")
	ttl := flag.Duration("ttl", 30*time.Second, "lease TTL")
	flag.Parse()
	if *ttl <= 0 {
		log.Fatal("leased: -ttl must be positive")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("leased: %v", err)
	}
	defer ln.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := lease.NewManager(*ttl)
	keeper := lease.NewKeeper(m, 0, slog.Default())
	expired := keeper.ExpireLoop(ctx, *ttl/2)
	go func() {
		for name := range expired {
			log.Printf("leased: lease %s expired", name)
		}
	}()

	srv := &http.Server{Handler: newHandler(m), ReadHeaderTimeout: 5 * time.Second}
	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("leased: shutdown: %v", err)
		}
	}()
	log.Printf("leased: listening on %s", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Printf("leased: serve: %v", err)
		return
	}
	<-shutdownDone
}
