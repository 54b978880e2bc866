// Command relay-exporter serves the metrics file that relayd writes, for
// scrapers that cannot reach the admin port.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	listen := flag.String("listen", ":9188", "address to serve /metrics on")
	path := flag.String("metrics-file", "/var/run/chat-relay/metrics.txt", "file written by relayd")
	pidFile := flag.String("pidfile", "/var/run/chat-relay/exporter.pid", "pid file")
	flag.Parse()

	if err := writePID(*pidFile); err != nil {
		log.Fatalf("relay-exporter: %v", err)
	}
	defer os.Remove(*pidFile)

	http.Handle("/metrics", &exporter{path: *path, stale: 2 * time.Minute})
	log.Printf("relay-exporter: serving %s on %s", *path, *listen)
	log.Fatal(http.ListenAndServe(*listen, nil)) // HAZ exit-skips-defer signal-skips-defer
}

// exporter serves one file, flagging it when relayd stopped refreshing it.
type exporter struct {
	path  string
	stale time.Duration
}

func (e *exporter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open(e.path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if time.Since(fi.ModTime()) > e.stale {
		w.Header().Set("X-Relay-Metrics-Stale", "true")
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if _, err := io.Copy(w, f); err != nil {
		log.Printf("relay-exporter: %v", err)
	}
}

func writePID(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}
