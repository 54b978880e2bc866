// Command replay serves an endpoint that replays a journal into the
// document store, and shuts down cleanly on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up17/internal/guard"
	"example.com/up17/internal/journal"
	"example.com/up17/internal/store"
)

// item is a replayed record.
type item struct {
	ID   string `json:"id"`
	Body string `json:"body"`
}

// replayHandler replays the journal into st. Panics in the replay are
// turned into errors by the guard.
func replayHandler(j *journal.Journal[item], st *store.Store[item], g *guard.Guard[int]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, err := g.Run(func() (int, error) {
			return j.Replay(func(it item) error {
				st.Put(it.ID, it)
				return nil
			})
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "replayed %d records\n", n)
	}
}

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	journalPath := flag.String("journal", "ingest.journal", "journal to replay")
	statePath := flag.String("state", "replayed.json", "store snapshot")
	flag.Parse()

	logger := log.New(os.Stderr, "replay: ", log.LstdFlags)
	st, err := store.Load[item](*statePath)
	if err != nil {
		logger.Fatalf("load %s: %v", *statePath, err)
	}
	defer func() {
		if err := st.Sync(); err != nil {
			logger.Printf("final sync: %v", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	mux := http.NewServeMux()
	mux.Handle("POST /replay", replayHandler(journal.Open[item](*journalPath), st, guard.New("replay", logger, 0)))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()

	logger.Printf("serving on %s", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serve: %v", err)
		return
	}
	<-done
}
