// Command bouncectl processes the bounce mailbox once (from cron) and writes
// the updated subscriber snapshot.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"strconv"
	"time"

	"example.com/newsletter/internal/bounce"
	"example.com/newsletter/internal/subscribers"
)

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bouncectl: "+format+"\n", args...)
	os.Exit(1)
}

// writePID records our pid so overlapping cron runs can detect each other.
func writePID(path string) error {
	if data, err := os.ReadFile(path); err == nil {
		return fmt.Errorf("pid file %s exists (pid %s)", path, data)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())), 0o644)
}

// scanOnce loads the store, processes the mailbox and saves the store.
func scanOnce(dir, doneDir, snapPath string) (int, error) {
	st := subscribers.NewStore(nil)
	if err := subscribers.LoadLatest(snapPath, st); err != nil {
		return 0, err
	}
	w := bounce.NewWatcher(dir, doneDir, time.Minute, st, log.Default())
	if err := w.Scan(); err != nil {
		return w.Processed(), err
	}
	return w.Processed(), subscribers.WriteSnapshot(snapPath, st)
}

func main() {
	dir := flag.String("dir", "", "bounce mailbox directory (required)")
	doneDir := flag.String("done", "", "move processed reports here (default: delete)")
	snapPath := flag.String("snapshot", "/var/lib/newsletter/subscribers.json", "subscriber snapshot")
	pidPath := flag.String("pidfile", "/run/bouncectl.pid", "pid file")
	flag.Parse()
	if *dir == "" {
		fatalf("-dir is required")
	}
	if err := writePID(*pidPath); err != nil {
		fatalf("%v", err)
	}
	defer os.Remove(*pidPath)
	n, err := scanOnce(*dir, *doneDir, *snapPath)
	if err != nil {
		fatalf("after %d reports: %v", n, err) // HAZ exit-skips-defer
	}
	fmt.Printf("processed %d bounce reports\n", n)
}
