// Command etl-spoold watches a spool directory and appends every dropped
// JSON-lines file to the day's output, and compacts the output hourly.
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/etl/internal/extract"
	"example.com/etl/internal/load"
	"example.com/etl/internal/record"
	"example.com/etl/internal/schedule"
)

func main() {
	spool := flag.String("spool", "spool", "directory to watch")
	outDir := flag.String("out", "out", "output directory")
	flag.Parse()

	lock, err := schedule.AcquireLock(filepath.Join(*spool, ".etl-spoold.lock"))
	if err != nil {
		log.Fatalf("etl-spoold: %v", err)
	}
	defer lock.Release()

	handle := func(name string, r io.Reader) error {
		var recs []record.Record
		err := extract.DecodeJSONLines(r, func(rec record.Record) error {
			recs = append(recs, rec)
			return nil
		})
		if err != nil {
			return err
		}
		day := time.Now().UTC().Format("2006-01-02")
		return load.AppendAudit(filepath.Join(*outDir, day+".log"), "%s: %d records", filepath.Base(name), len(recs))
	}
	go schedule.WatchSpool(*spool, 2*time.Second, handle, log.Printf)
	go schedule.Every(context.Background(), time.Hour, func(context.Context) {
		if err := compact(*outDir); err != nil {
			log.Printf("etl-spoold: compact: %v", err)
		}
	})
	select {} // HAZ signal-skips-defer
}

// compact removes output logs older than a week.
func compact(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	cutoff := time.Now().Add(-7 * 24 * time.Hour)
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.IsDir() || info.ModTime().After(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
