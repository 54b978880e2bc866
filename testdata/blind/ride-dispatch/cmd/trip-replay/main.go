// Command trip-replay rebuilds trip state from the store journal after a
// disk incident, and optionally verifies the rebuilt store.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/dispatch/internal/trip"
)

// dirLock is an exclusive lock on a store directory held by a lock file.
type dirLock struct {
	path string
}

func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, ".replay.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists: another replay is running or crashed", path)
	}
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &dirLock{path: path}, nil
}

func (l *dirLock) release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("release lock: %v", err)
	}
}

// applyRecord replays one journal record onto the store.
func applyRecord(store *trip.Store, rec trip.Record) error {
	if rec.Err != "" {
		return nil // the original operation failed; nothing to redo
	}
	var to trip.State
	switch rec.Op {
	case "advance:" + string(trip.EnRoute):
		to = trip.EnRoute
	case "advance:" + string(trip.InProgress):
		to = trip.InProgress
	case "advance:" + string(trip.Completed):
		to = trip.Completed
	default:
		return nil
	}
	err := store.Advance(rec.TripID, to, rec.At)
	if errors.Is(err, trip.ErrBadTransition) {
		return nil // already applied
	}
	return err
}

// replay applies the journal and returns the process exit code.
func replay(journal, dataDir string, dryRun bool, logger *log.Logger) int {
	recs, err := trip.ReadJournalStrict(journal)
	if err != nil {
		logger.Printf("read journal: %v", err)
		return 1
	}
	store, err := trip.Open(dataDir, logger, nil)
	if err != nil {
		logger.Printf("open store: %v", err)
		return 1
	}
	applied := 0
	for _, rec := range recs {
		if dryRun {
			logger.Printf("would apply %s %s", rec.Op, rec.TripID)
			continue
		}
		if err := applyRecord(store, rec); err != nil {
			logger.Printf("apply %s %s: %v", rec.Op, rec.TripID, err)
			return 2
		}
		applied++
	}
	logger.Printf("applied %d of %d records", applied, len(recs))
	return 0
}

// verifyStore loads every trip once; an in-progress marker tells the next
// dispatchd start that verification did not finish.
func verifyStore(dataDir string, logger *log.Logger) {
	marker := filepath.Join(dataDir, ".verify-in-progress")
	if err := os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)), 0o644); err != nil {
		logger.Fatalf("verify: %v", err)
	}
	defer os.Remove(marker)
	store, err := trip.Open(dataDir, logger, nil)
	if err != nil {
		logger.Fatalf("verify: %v", err) // HAZ exit-skips-defer
	}
	trips, err := store.LoadAll()
	if err != nil {
		logger.Printf("verify: %v", err)
		return
	}
	logger.Printf("verify: %d trips load cleanly", len(trips))
}

func main() {
	journal := flag.String("journal", "/var/lib/dispatch/trips/journal.log", "journal to replay")
	dataDir := flag.String("data", "/var/lib/dispatch/trips", "trip store directory")
	dryRun := flag.Bool("n", false, "dry run")
	verify := flag.Bool("verify", true, "verify the store afterwards")
	flag.Parse()
	logger := log.New(os.Stderr, "trip-replay ", log.LstdFlags)

	lock, err := lockDir(*dataDir)
	if err != nil {
		logger.Print(err)
		os.Exit(1)
	}
	defer lock.release()
	code := replay(*journal, *dataDir, *dryRun, logger)
	if code == 0 && *verify {
		verifyStore(*dataDir, logger)
	}
	os.Exit(code) // HAZ exit-skips-defer
}
