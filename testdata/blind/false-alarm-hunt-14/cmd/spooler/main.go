// Command spooler watches a directory for spooled webhook payloads and
// ingests them with a pool of relay workers.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/fah14/internal/relay"
	"example.com/fah14/internal/store"
)

func writePID(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// scan enqueues every *.json file of dir that has not been seen before.
func scan(dir string, seen map[string]bool, w *relay.Worker) error {
	matches, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	for _, m := range matches {
		if seen[m] {
			continue
		}
		seen[m] = true
		id := strings.TrimSuffix(filepath.Base(m), ".json")
		if err := w.Enqueue(context.Background(), relay.Job{ID: id, Topic: "spool", Path: m}); err != nil {
			return err
		}
	}
	return nil
}

// watch rescans dir every interval, for the life of the process.
func watch(dir string, every time.Duration, w *relay.Worker) {
	seen := make(map[string]bool)
	for {
		if err := scan(dir, seen, w); err != nil {
			log.Printf("spooler: %v", err)
		}
		time.Sleep(every)
	}
}

func main() {
	dir := flag.String("dir", "spool", "directory to watch")
	pidFile := flag.String("pidfile", "spooler.pid", "pid file")
	workers := flag.Int("workers", 2, "number of workers")
	flag.Parse()

	if err := writePID(*pidFile); err != nil {
		log.Fatalf("spooler: %v", err)
	}
	defer os.Remove(*pidFile)

	w := relay.NewWorker(relay.New(store.New()), 64, log.Printf)
	for range *workers {
		go w.Serve()
	}
	go watch(*dir, time.Second, w)
	log.Printf("spooler: watching %s with %d workers", *dir, *workers)
	select {} // HAZ signal-skips-defer
}
