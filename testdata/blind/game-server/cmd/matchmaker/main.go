// Command matchmaker runs the standalone matchmaking queue used by the lobby
// service: players enqueue over HTTP, formed groups are dispatched to a game
// server. Waiting tickets survive restarts through a state file.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/gamesrv/internal/matchmaking"
)

func main() {
	listen := flag.String("listen", ":7800", "HTTP address for lobby requests")
	size := flag.Int("size", 4, "players per match")
	stateFile := flag.String("state", "queue.json", "where waiting tickets are kept across restarts")
	dispatchURL := flag.String("dispatch", "http://127.0.0.1:9090/matches/create", "game server endpoint for formed groups")
	flag.Parse()

	q := matchmaking.NewQueue(*size)
	if tickets, err := loadQueue(*stateFile); err != nil {
		log.Printf("matchmaker: not restoring queue: %v", err)
	} else {
		log.Printf("matchmaker: restored %d tickets", q.Restore(tickets))
	}
	defer saveQueue(q, *stateFile)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	formed := make(chan []matchmaking.Ticket, 16)
	go q.Run(ctx, 250*time.Millisecond, formed)
	go publish(ctx, q, formed, *dispatchURL)

	mux := http.NewServeMux()
	mux.Handle("/enqueue", enqueueHandler(q))
	mux.Handle("/cancel", cancelHandler(q))
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("matchmaker: listening on %s", *listen)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("matchmaker: %v", err)
	}
}

func loadQueue(path string) ([]matchmaking.Ticket, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var tickets []matchmaking.Ticket
	if err := json.Unmarshal(data, &tickets); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return tickets, nil
}

// saveQueue persists the waiting tickets; it logs instead of returning an
// error because it runs deferred at exit.
func saveQueue(q *matchmaking.Queue, path string) {
	data, err := json.MarshalIndent(q.Tickets(), "", "  ")
	if err != nil {
		log.Printf("matchmaker: save queue: %v", err)
		return
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		log.Printf("matchmaker: save queue: %v", err)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		log.Printf("matchmaker: save queue: %v", err)
	}
}

func enqueueHandler(q *matchmaking.Queue) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		var t matchmaking.Ticket
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&t); err != nil || t.PlayerID == "" {
			http.Error(w, "bad ticket", http.StatusBadRequest)
			return
		}
		if err := q.Enqueue(t); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

func cancelHandler(q *matchmaking.Queue) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := q.Cancel(r.FormValue("player"))
		switch {
		case errors.Is(err, matchmaking.ErrNotQueued):
			http.Error(w, err.Error(), http.StatusNotFound)
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

// publish dispatches formed groups; groups that cannot be delivered go back
// into the queue.
func publish(ctx context.Context, q *matchmaking.Queue, formed <-chan []matchmaking.Ticket, target string) {
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-ctx.Done():
			return
		case group := <-formed:
			if err := dispatch(ctx, client, target, group); err != nil {
				log.Printf("matchmaker: dispatch: %v", err)
				q.Restore(group)
			}
		}
	}
}

func dispatch(ctx context.Context, client *http.Client, target string, group []matchmaking.Ticket) error {
	body, err := json.Marshal(group)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("%s answered %s", target, resp.Status)
	}
	return nil
}
