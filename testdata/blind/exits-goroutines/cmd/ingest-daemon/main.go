// Command ingest-daemon tails a spool directory and uploads new files in
// batches. SIGINT/SIGTERM stop it between batches.
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/blindd/internal/svc"
)

func ingestBatch(spool string, seen *svc.Store) (int, error) {
	matches, err := filepath.Glob(filepath.Join(spool, "*.ndjson"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range matches {
		if _, done := seen.Get(m); done {
			continue
		}
		seen.Put(m, []byte(time.Now().UTC().Format(time.RFC3339)))
		n++
	}
	return n, nil
}

func main() {
	spool := flag.String("spool", "/var/spool/ingest", "spool directory")
	stateDir := flag.String("state", "/var/lib/ingest-daemon", "state directory")
	every := flag.Duration("every", 10*time.Second, "batch interval")
	flag.Parse()

	seen, err := svc.OpenStore(*stateDir)
	if err != nil {
		log.Fatalf("ingest-daemon: %v", err) // ok: nothing deferred yet
	}
	defer seen.Close()

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	ticker := time.NewTicker(*every)
	defer ticker.Stop()

	for {
		select {
		case s := <-sigc:
			log.Printf("ingest-daemon: %v, exiting", s)
			return
		case <-ticker.C:
			n, err := ingestBatch(*spool, seen)
			if err != nil {
				log.Printf("ingest-daemon: %v", err)
				continue
			}
			if n > 0 {
				log.Printf("ingest-daemon: ingested %d files", n)
			}
		}
	}
}
