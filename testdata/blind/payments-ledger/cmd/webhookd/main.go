// Command webhookd is the standalone webhook relay: other services post
// events to it and it delivers them to merchants. Events still queued when it
// stops are saved to a spool file and replayed by the next start.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/payments/webhook"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	spool := flag.String("spool", "webhookd.spool.jsonl", "where undelivered events are saved on exit")
	workers := flag.Int("workers", 4, "delivery workers")
	flag.Parse()

	logger := log.New(os.Stderr, "webhookd ", log.LstdFlags|log.Lmsgprefix)
	reg := webhook.NewRegistry()
	q := webhook.NewQueue(webhook.NewDeliverer(reg, logger), 1024, logger)
	q.Start(context.Background(), *workers)
	if n, err := replaySpool(context.Background(), q, *spool); err != nil {
		logger.Printf("replaying %s: %v", *spool, err)
	} else if n > 0 {
		logger.Printf("re-queued %d spooled events", n)
	}
	defer spoolPending(q, *spool, logger)

	mux := http.NewServeMux()
	mux.Handle("POST /events", enqueueHandler(q))
	mux.Handle("PUT /endpoints/{merchant}", registerHandler(reg))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

// spoolPending saves the events still queued so that the next start
// delivers them.
func spoolPending(q *webhook.Queue, path string, logger *log.Logger) {
	n, err := writeSpool(q, path)
	if err != nil {
		logger.Printf("spooling to %s: %v", path, err)
		return
	}
	logger.Printf("spooled %d undelivered events to %s", n, path)
}

func writeSpool(q *webhook.Queue, path string) (n int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return q.Spool(f)
}

// replaySpool re-queues the events saved by the previous run and removes the
// spool file.
func replaySpool(ctx context.Context, q *webhook.Queue, path string) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ev webhook.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return n, fmt.Errorf("line %d: %w", n+1, err)
		}
		if err := q.Enqueue(ctx, ev); err != nil {
			return n, err
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return n, err
	}
	return n, os.Remove(path)
}

func enqueueHandler(q *webhook.Queue) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev webhook.Event
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if ev.CreatedAt.IsZero() {
			ev.CreatedAt = time.Now().UTC()
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := q.Enqueue(ctx, ev); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
}

func registerHandler(reg *webhook.Registry) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ep webhook.Endpoint
		if err := json.NewDecoder(r.Body).Decode(&ep); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ep.MerchantID = r.PathValue("merchant")
		if err := reg.Replace(ep); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
