// Command agent watches a directory feed and forwards metrics batches. It
// writes a telemetry summary when it stops.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/up10/internal/pump"
)

// startTelemetry returns the func that writes the run summary to path.
func startTelemetry(path string, w *pump.Watcher) func() {
	start := time.Now()
	return func() {
		summary := fmt.Sprintf("uptime=%s handled=%d\n", time.Since(start).Round(time.Second), w.Handled())
		if err := os.WriteFile(path, []byte(summary), 0o644); err != nil {
			log.Printf("telemetry: %v", err)
		}
	}
}

// pollDir reports the files of dir that changed since the last poll.
func pollDir(dir string, every time.Duration, out chan<- pump.Change) {
	seen := make(map[string]time.Time)
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for range ticker.C {
		entries, err := os.ReadDir(dir)
		if err != nil {
			log.Printf("agent: %v", err)
			continue
		}
		for _, e := range entries {
			info, err := e.Info()
			if err != nil || info.IsDir() {
				continue
			}
			path := filepath.Join(dir, e.Name())
			if mt := info.ModTime(); !mt.Equal(seen[path]) {
				seen[path] = mt
				out <- pump.Change{Path: path, Op: "write"}
			}
		}
	}
}

func main() {
	health := flag.String("health", ":9090", "health endpoint address")
	upstream := flag.String("upstream", "127.0.0.1:2003", "metrics aggregator")
	summary := flag.String("summary", "agent-summary.txt", "where to write the run summary")
	feed := flag.String("feed", "/var/lib/agent/feed", "directory to watch")
	flag.Parse()

	changes := make(chan pump.Change)
	batches := make(chan pump.Batch)
	w := pump.NewWatcher(changes, func(c pump.Change, r io.Reader) error {
		n, err := io.Copy(io.Discard, r)
		log.Printf("agent: %s %s (%d bytes)", c.Op, c.Path, n)
		return err
	}, pump.SuffixRule(".json"))
	defer startTelemetry(*summary, w)()

	w.Start()
	go pollDir(*feed, 5*time.Second, changes)
	pump.NewCollector(*upstream, 3*time.Second).Start(pump.Subscription{C: batches})

	http.HandleFunc("/healthz", func(rw http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(rw, "ok\n")
	})
	go func() {
		log.Print(http.ListenAndServe(*health, nil))
	}()
	select {} // HAZ signal-skips-defer
}
