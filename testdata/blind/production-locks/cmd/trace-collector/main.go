// Command trace-collector receives spans from the mesh sidecars and batches
// them to the tracing backend.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
)

type span struct {
	TraceID string `json:"trace_id"`
	SpanID  string `json:"span_id"`
	Name    string `json:"name"`
	DurUS   int64  `json:"dur_us"`
}

type batcher struct {
	mu    sync.Mutex
	spans []span
	out   *json.Encoder
}

func (b *batcher) add(s span) {
	b.mu.Lock()
	b.spans = append(b.spans, s)
	b.mu.Unlock()
}

// flush writes the spans still buffered; it runs after serving stopped.
func (b *batcher) flush() {
	for _, s := range b.spans {
		if err := b.out.Encode(s); err != nil {
			log.Printf("trace-collector: flush: %v", err)
			return
		}
	}
	log.Printf("trace-collector: flushed %d spans", len(b.spans))
}

func main() {
	addr := flag.String("addr", ":4318", "OTLP/HTTP-ish listener")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("trace-collector: listen: %v", err)
		os.Exit(1)
	}
	b := &batcher{out: json.NewEncoder(os.Stdout)}
	defer b.flush()

	mux := http.NewServeMux()
	mux.HandleFunc("/v1/traces", func(w http.ResponseWriter, r *http.Request) {
		var s span
		if err := json.NewDecoder(r.Body).Decode(&s); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		b.add(s)
		w.WriteHeader(http.StatusAccepted)
	})
	if err := http.Serve(ln, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("trace-collector: serve: %v", err)
	}
}
