// Command fleet-webhook-sink is a development stand-in for the on-call
// paging service: it accepts alert webhooks on a unix socket and appends
// them to a file.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

func main() {
	sock := flag.String("socket", "/tmp/fleet-webhook.sock", "unix socket to listen on")
	out := flag.String("out", "alerts.jsonl", "file receiving the alerts")
	flag.Parse()

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatalf("webhook-sink: %v", err)
	}
	defer os.Remove(*sock)

	sink := &sink{path: *out}
	srv := &http.Server{Handler: sink, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("webhook-sink: listening on %s", *sock)
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("webhook-sink: %v", err)
	}
}

type sink struct {
	path string
	mu   sync.Mutex
}

// ServeHTTP appends the JSON body of one alert as a line.
func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var alert map[string]any
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&alert); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := s.appendLine(alert); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// appendLine opens the file for each alert so that it can be rotated
// underneath the sink; the close error is returned.
func (s *sink) appendLine(v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "%s\n", line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
