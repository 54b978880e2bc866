// Command brokerd exposes a pubsub broker over HTTP and journals every
// published message.
package main

import (
	"encoding/json"
	"flag"
	"io"
	"log"
	"net/http"

	"example.com/falsealarm9/eventlog"
	"example.com/falsealarm9/pubsub"
)

func main() {
	addr := flag.String("addr", ":7070", "listen address")
	journalPath := flag.String("journal", "broker.jsonl", "journal file")
	flag.Parse()

	journal, err := eventlog.Open(*journalPath)
	if err != nil {
		log.Fatalf("brokerd: %v", err)
	}
	defer func() {
		if err := journal.Close(); err != nil {
			log.Printf("brokerd: closing journal: %v", err)
		}
	}()
	b := pubsub.NewBroker(log.Printf)
	defer b.Close()

	mux := http.NewServeMux()
	mux.Handle("POST /topics/{topic}", publishHandler(b, journal))
	log.Printf("brokerd listening on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("brokerd: %v", err)
	}
}

func publishHandler(b *pubsub.Broker, journal *eventlog.Log) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		topic := r.PathValue("topic")
		payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		n, err := b.Publish(pubsub.Message{Topic: topic, Payload: payload})
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		if err := journal.Append(eventlog.Event{
			Level: eventlog.LevelInfo,
			Msg:   "published",
			Attrs: map[string]any{"topic": topic, "bytes": len(payload), "delivered": n},
		}); err != nil {
			log.Printf("brokerd: journal: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int{"delivered": n})
	})
}
