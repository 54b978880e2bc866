// Command agent is the lightweight edge shipper: it re-scans a directory on
// a timer and ships new log files until it is told to stop.
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah16/internal/ingest"
	"example.com/fah16/internal/pool"
	"example.com/fah16/internal/segment"
	"example.com/fah16/internal/state"
)

func main() {
	dir := flag.String("dir", ".", "directory to ship")
	out := flag.String("out", "segments", "segment directory")
	every := flag.Duration("every", 10*time.Second, "scan interval")
	flag.Parse()

	w, err := segment.NewWriter(*out, 8<<20)
	if err != nil {
		log.Fatalf("agent: %v", err)
	}
	defer closeWriter(w)
	fl := pool.StartFlusher(time.Second, w.Flush)
	defer stopFlusher(fl)

	ing := ingest.New(state.NewStore(), w, log.Default())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	t := time.NewTicker(*every)
	defer t.Stop()

	for {
		select {
		case s := <-sigs:
			log.Printf("agent: %v, shutting down", s)
			return
		case <-t.C:
			if n, err := ing.ImportAll(scan(*dir)); err != nil {
				log.Printf("agent: shipped %d lines before: %v", n, err)
			}
		}
	}
}

func scan(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Printf("agent: %v", err)
		return nil
	}
	var paths []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			paths = append(paths, dir+string(os.PathSeparator)+e.Name())
		}
	}
	return paths
}

func closeWriter(w *segment.Writer) {
	if err := w.Close(); err != nil {
		log.Printf("agent: closing segments: %v", err)
	}
}

func stopFlusher(fl *pool.Flusher) {
	if err := fl.Close(); err != nil {
		log.Printf("agent: final flush: %v", err)
	}
}
