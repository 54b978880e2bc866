// Command usage-sink is a minimal usage collector for staging: it accepts
// batches from gateways and appends them to an NDJSON file.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"example.com/ratelimitgw/internal/usage"
)

type fileSink struct {
	mu     sync.Mutex
	f      *os.File
	w      *bufio.Writer
	events int64
}

func openSink(path string) (*fileSink, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &fileSink{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// Close flushes buffered events and closes the file.
func (s *fileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.w.Flush(); err != nil {
		s.f.Close()
		return err
	}
	return s.f.Close()
}

func (s *fileSink) append(b usage.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	enc := json.NewEncoder(s.w)
	for _, ev := range b.Events {
		if err := enc.Encode(ev); err != nil {
			return err
		}
		s.events++
	}
	return nil
}

func (s *fileSink) handleBatch(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	var b usage.Batch
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := s.append(b); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func main() {
	addr := flag.String("addr", ":9400", "listen address")
	out := flag.String("out", "usage.ndjson", "output file")
	flag.Parse()

	sink, err := openSink(*out)
	if err != nil {
		log.Fatalf("open %s: %v", *out, err)
	}
	defer func() {
		if err := sink.Close(); err != nil {
			log.Printf("close %s: %v", *out, err)
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("/v1/batches", sink.handleBatch)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("usage sink listening on %s, writing %s", *addr, *out)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}
