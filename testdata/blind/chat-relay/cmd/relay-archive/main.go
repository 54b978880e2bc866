// Command relay-archive compresses rotated room logs into daily archives
// and prunes old archives. It runs nightly from cron.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/chatrelay/internal/history"
)

func main() {
	dir := flag.String("dir", "history", "history directory")
	day := flag.String("day", time.Now().AddDate(0, 0, -1).Format("2006-01-02"), "archive label")
	keep := flag.Int("keep", 30, "archives to keep per room")
	flag.Parse()

	store, err := history.Open(*dir, 0)
	if err != nil {
		log.Fatalf("relay-archive: %v", err)
	}
	lock, err := acquireLock(filepath.Join(*dir, ".archive.lock"))
	if err != nil {
		log.Fatalf("relay-archive: %v", err)
	}
	defer lock.release()

	rooms, err := store.Rooms()
	if err != nil {
		log.Fatalf("relay-archive: list rooms: %v", err) // HAZ exit-skips-defer
	}
	if failed := archiveAll(store, rooms, *day, *keep); failed > 0 {
		log.Printf("relay-archive: %d of %d room(s) failed", failed, len(rooms))
	}
}

// archiveAll archives and prunes every room, returning how many failed.
func archiveAll(store *history.Store, rooms []string, day string, keep int) int {
	failed := 0
	for _, r := range rooms {
		if err := archiveRoom(store, r, day, keep); err != nil {
			failed++
		}
	}
	if err := store.WriteIndex(rooms); err != nil {
		log.Printf("relay-archive: index: %v", err)
	}
	return failed
}

// archiveRoom archives one room's rotated log and prunes its old archives.
func archiveRoom(store *history.Store, room, day string, keep int) error {
	var err error
	defer logOutcome(room, err) // HAZ defer-eager-evaluation
	if err = store.Archive(room, day); err != nil {
		return err
	}
	n, err := store.PruneArchives(room, keep)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Printf("relay-archive: %s: pruned %d archive(s)", room, n)
	}
	return nil
}

// logOutcome writes the per-room result line that the cron mail shows.
func logOutcome(room string, err error) {
	if err != nil {
		log.Printf("relay-archive: %s: FAILED: %v", room, err)
		return
	}
	log.Printf("relay-archive: %s: ok", room)
}

// fileLock is an O_EXCL lock file holding the owner's pid.
type fileLock struct {
	path string
}

func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s (another run in progress?): %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &fileLock{path: path}, nil
}

func (l *fileLock) release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("relay-archive: release lock: %v", err)
	}
}
