// Command wfjanitor periodically archives the journals of finished runs.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/unusualpos3/internal/workflow"
)

func main() {
	dir := flag.String("journal", "/var/lib/wf/journal", "journal directory")
	every := flag.Duration("every", time.Hour, "archive interval")
	flag.Parse()

	logger := log.New(os.Stderr, "wfjanitor: ", log.LstdFlags)
	j, err := workflow.OpenJournal(*dir)
	if err != nil {
		logger.Fatalf("open journal: %v", err)
	}
	defer j.Close() // HAZ signal-skips-defer

	t := time.NewTicker(*every)
	for range t.C {
		n, err := archiveFinished(j, *dir)
		if err != nil {
			logger.Printf("archive: %v", err)
		}
		logger.Printf("archived %d journals", n)
	}
}

// archiveFinished compresses every journal that has a ".done" marker.
func archiveFinished(j *workflow.Journal, dir string) (int, error) {
	markers, err := filepath.Glob(filepath.Join(dir, "*.done"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range markers {
		id := strings.TrimSuffix(filepath.Base(m), ".done")
		if err := j.Compress(id); err != nil {
			return n, err
		}
		if err := os.Remove(m); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
