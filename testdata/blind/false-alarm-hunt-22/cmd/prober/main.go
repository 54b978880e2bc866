// Command prober polls the health endpoints listed in a file and serves
// their status; the last statuses are saved on exit.
package main

import (
	"bufio"
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/fah22/internal/httpx"
	"example.com/fah22/internal/snapshot"
	"example.com/fah22/internal/upstream"
)

func main() {
	addr := flag.String("addr", ":9090", "status listen address")
	targetsFile := flag.String("targets", "targets.txt", "file with one URL per line")
	statePath := flag.String("state", "probe-state.json", "where the last statuses are saved")
	flag.Parse()
	lg := log.New(os.Stderr, "prober ", log.LstdFlags)

	targets, err := loadTargets(*targetsFile)
	if err != nil {
		lg.Fatalf("prober: %v", err)
	}

	p := upstream.NewProber(targets, 15*time.Second, 3*time.Second, lg)
	defer func() {
		if err := snapshot.WriteJSON(*statePath, p.Statuses()); err != nil {
			lg.Printf("prober: save state: %v", err)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, p.Statuses())
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		lg.Printf("prober: %v", err)
	}
}

// loadTargets reads one URL per line, skipping blanks and # comments.
func loadTargets(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}
