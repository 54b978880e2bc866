// Command compactor runs a full manual compaction of an offline data
// directory, e.g. before taking a backup.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah19/internal/storage"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run returns the process exit code; main exits only after every deferred
// cleanup here has run.
func run(args []string) int {
	fs := flag.NewFlagSet("compactor", flag.ContinueOnError)
	dir := fs.String("data", "data", "data directory")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up after this long")
	backup := fs.String("backup", "", "write a tar.gz backup here afterwards")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	lock, err := storage.LockDir(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compactor:", err)
		return 1
	}
	defer lock.Release()

	e, err := storage.Open(*dir, storage.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "compactor:", err)
		return 1
	}
	code := 0
	defer func() {
		if err := e.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "compactor: close:", err)
		}
	}()

	c := storage.NewCompactor(e, time.Hour)
	if err := c.CompactAll(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "compactor:", err)
		code = 1
	}
	if *backup != "" && code == 0 {
		if err := e.Backup(*backup); err != nil {
			fmt.Fprintln(os.Stderr, "compactor: backup:", err)
			code = 1
		}
	}
	return code
}
