// Command reporter periodically writes a JSON summary of all objects for
// the dashboard to pick up.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/fah31/internal/source"
	"example.com/fah31/internal/status"
)

// writeOnce lists the manifests and writes the report next to a marker file
// that tells the dashboard a write is in progress.
func writeOnce(objectsDir, out string) error {
	marker := out + ".writing"
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		return err
	}
	defer os.Remove(marker)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	objs, err := source.NewDir(objectsDir, time.Second).List(ctx)
	if err != nil {
		return err
	}
	return status.NewWriter(filepath.Dir(out)).WriteReportChecked(objs, out)
}

// mustWriteOnce panics on failure; log.Panicf unwinds the stack, so the
// deferred cleanup still runs.
func mustWriteOnce(objectsDir, out string) {
	lock := out + ".lock"
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		log.Panicf("reporter: %v", err)
	}
	defer os.Remove(lock)
	if err := writeOnce(objectsDir, out); err != nil {
		log.Panicf("reporter: %v", err)
	}
}

func main() {
	objectsDir := flag.String("objects", "objects", "manifest directory")
	out := flag.String("out", "report.json", "report path")
	every := flag.Duration("every", time.Minute, "interval")
	once := flag.Bool("once", false, "write one report and exit")
	flag.Parse()

	if *once {
		mustWriteOnce(*objectsDir, *out)
		return
	}
	pid := *out + ".pid"
	if err := os.WriteFile(pid, []byte("reporter\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(pid)
	for { // HAZ signal-skips-defer
		if err := writeOnce(*objectsDir, *out); err != nil {
			log.Printf("reporter: %v", err)
		}
		time.Sleep(*every)
	}
}
