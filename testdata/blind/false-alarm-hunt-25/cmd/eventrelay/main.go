// Command eventrelay accepts events over HTTP and relays them to stdout through a broadcaster.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/fah25/api"
	"example.com/fah25/internal/record"
)

// intake accepts one JSON event per request.
func intake(b *record.Broadcaster) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		var ev api.Event
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if ev.LastSeen.IsZero() {
			ev.LastSeen = time.Now()
		}
		b.Action(ev)
		w.WriteHeader(http.StatusAccepted)
	}
}

func main() {
	addr := flag.String("addr", ":9090", "listen address for event intake")
	retries := flag.Int("retries", 3, "delivery attempts per event")
	flag.Parse()

	b := record.NewBroadcaster(1024)
	defer b.Shutdown()
	relay := record.NewRelay(b, record.NewJSONSink(os.Stdout), *retries)
	relay.Start(context.Background())

	mux := http.NewServeMux()
	mux.HandleFunc("/events", intake(b))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil {
			log.Printf("eventrelay: %v", err)
		}
	}()
	log.Printf("eventrelay: accepting events on %s", *addr)
	select {} // HAZ signal-skips-defer
}
