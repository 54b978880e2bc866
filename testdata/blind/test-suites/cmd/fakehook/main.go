// Command fakehook is a stand-in webhook receiver for local development: it
// prints every delivery and answers with a configurable status.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
)

type recorder struct {
	deliveries atomic.Int64
	bytes      atomic.Int64
	status     int

	mu  sync.Mutex
	out io.Writer
}

func newRecorder(status int, out io.Writer) *recorder {
	return &recorder{status: status, out: out}
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rec.deliveries.Add(1)
	rec.bytes.Add(int64(len(body)))
	rec.mu.Lock()
	fmt.Fprintf(rec.out, "%s %s\n", r.URL.Path, body)
	rec.mu.Unlock()
	w.WriteHeader(rec.status)
}

// Summary prints the delivery counters.
func (rec *recorder) Summary(w io.Writer) {
	fmt.Fprintf(w, "fakehook: %d deliveries, %d bytes\n", rec.deliveries.Load(), rec.bytes.Load())
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9090", "listen address")
	status := flag.Int("status", http.StatusNoContent, "status code to answer with")
	flag.Parse()

	rec := newRecorder(*status, os.Stdout)
	defer rec.Summary(os.Stderr)
	mux := http.NewServeMux()
	mux.Handle("POST /hook", rec)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	log.Printf("fakehook listening on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Print(err)
	}
}
