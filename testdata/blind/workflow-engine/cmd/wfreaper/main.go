// Command wfreaper periodically reaps expired task leases from a queue
// snapshot and writes a report of the tasks it returned to the queue.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/wfengine/internal/scheduler"
)

// writeReport stages the report next to dst and moves it into place.
func writeReport(logger *log.Logger, dst string, reaped int, at time.Time) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".report-*")
	if err != nil {
		logger.Fatalf("report: %v", err)
	}
	defer os.Remove(tmp.Name())
	enc := json.NewEncoder(tmp)
	if err := enc.Encode(map[string]any{"reaped": reaped, "at": at.UTC()}); err != nil {
		tmp.Close()
		logger.Fatalf("report: %v", err) // HAZ exit-skips-defer
	}
	if err := tmp.Close(); err != nil {
		logger.Printf("report: %v", err)
		return
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		logger.Printf("report: %v", err)
	}
}

// reapOnce loads the snapshot, returns expired leases and saves it again.
func reapOnce(state string, now time.Time) (int, error) {
	q, err := scheduler.LoadSnapshot(state)
	if err != nil {
		return 0, err
	}
	n := q.ExpireLeases(now)
	if n == 0 {
		return 0, nil
	}
	if err := q.Snapshot().SaveTo(state); err != nil {
		return 0, fmt.Errorf("save %s: %w", state, err)
	}
	return n, nil
}

func main() {
	state := flag.String("state", "./data/queue.json", "queue snapshot")
	report := flag.String("report", "./data/reaper.json", "report file")
	every := flag.Duration("every", 30*time.Second, "reap interval")
	flag.Parse()

	logger := log.New(os.Stderr, "wfreaper ", log.LstdFlags)
	lock := *state + ".reaper.lock"
	if err := os.WriteFile(lock, []byte(fmt.Sprintln(os.Getpid())), 0o644); err != nil {
		logger.Fatalf("%v", err)
	}
	defer os.Remove(lock) // HAZ signal-skips-defer

	for {
		n, err := reapOnce(*state, time.Now())
		if err != nil {
			logger.Printf("reap: %v", err)
		} else if n > 0 {
			writeReport(logger, *report, n, time.Now())
		}
		time.Sleep(*every)
	}
}
