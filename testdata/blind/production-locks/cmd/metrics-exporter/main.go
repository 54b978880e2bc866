// Command metrics-exporter exposes node metrics and spools samples that
// could not be pushed upstream.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"
)

// spool keeps unsent samples in memory and dumps them on shutdown so the
// next start can replay them.
type spool struct {
	mu      sync.Mutex
	path    string
	pending []string
	log     *slog.Logger
}

func openSpool(path string, log *slog.Logger) (*spool, error) {
	if path == "" {
		return nil, fmt.Errorf("spool path is empty")
	}
	return &spool{path: path, log: log}, nil
}

func (s *spool) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := len(s.pending)
	s.mu.Unlock()
	fmt.Fprintf(w, "exporter_spool_pending %d\nexporter_up 1\n", n)
}

// Close writes the pending samples to disk. It runs after the server has
// stopped accepting requests.
func (s *spool) Close() error {
	data := ""
	for _, p := range s.pending {
		data += p + "\n"
	}
	if err := os.WriteFile(s.path, []byte(data), 0o600); err != nil {
		s.log.Error("spool dump failed", "path", s.path, "err", err)
		return err
	}
	s.log.Info("spool dumped", "samples", len(s.pending))
	return nil
}

func main() {
	addr := flag.String("listen", ":9102", "address to expose /metrics on")
	spoolPath := flag.String("spool", "/var/lib/exporter/spool", "spool file")
	flag.Parse()

	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	sp, err := openSpool(*spoolPath, logger)
	if err != nil {
		logger.Error("open spool", "err", err)
		os.Exit(1)
	}
	defer sp.Close()

	mux := http.NewServeMux()
	mux.Handle("/metrics", sp)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Info("listening", "addr", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Error("serve", "err", err)
	}
}
