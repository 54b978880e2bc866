// Command sessiond serves session lookups for the edge and persists the
// sessions across restarts.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah22/internal/httpx"
	"example.com/fah22/internal/sessions"
	"example.com/fah22/internal/snapshot"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	state := flag.String("state", "sessions.json", "state file")
	idle := flag.Duration("idle", 30*time.Minute, "idle timeout")
	flag.Parse()
	lg := log.New(os.Stderr, "sessiond ", log.LstdFlags)

	store := sessions.NewStore(*idle)
	if n, err := restore(store, *state); err != nil {
		lg.Printf("sessiond: starting empty: %v", err)
	} else {
		lg.Printf("sessiond: restored %d sessions", n)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	save := func(ss []sessions.Session) error { return snapshot.WriteJSON(*state, ss) }
	defer func() {
		if err := save(store.Snapshot()); err != nil {
			lg.Printf("sessiond: final save: %v", err)
		}
	}()
	go store.PersistLoop(ctx, time.Minute, save, lg)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /sessions/{id}", func(w http.ResponseWriter, r *http.Request) {
		s, ok := store.Lookup(r.PathValue("id"))
		if !ok {
			httpx.WriteError(w, http.StatusNotFound, sessions.ErrNotFound)
			return
		}
		httpx.WriteJSON(w, http.StatusOK, s)
	})
	srv := httpx.New(*addr, httpx.Recover(lg, mux), 10*time.Second, lg)
	if err := srv.Run(ctx); err != nil {
		lg.Printf("sessiond: %v", err)
	}
}

func restore(store *sessions.Store, path string) (int, error) {
	var ss []sessions.Session
	if err := snapshot.ReadJSON(path, &ss); err != nil {
		return 0, err
	}
	return store.Restore(ss, time.Now()), nil
}
