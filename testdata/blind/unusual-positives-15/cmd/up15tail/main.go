// Command up15tail follows the exporter's status file and journals every
// key whose checksum changed. It runs under the exporter as a child and
// stops when the exporter goes away.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/up15/internal/journal"
	"example.com/up15/internal/pipeline"
)

func record(items <-chan pipeline.Item, j *journal.Journal, lg *log.Logger) {
	for it := range items {
		if err := j.Append("change", it.Key); err != nil {
			lg.Printf("journal %s: %v", it.Key, err)
		}
	}
}

// watchParent writes the pid file and exits once the parent exporter has
// gone (we have been re-parented to init).
func watchParent(lg *log.Logger, pidfile string) {
	if err := os.WriteFile(pidfile, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644); err != nil {
		lg.Printf("pidfile: %v", err)
		return
	}
	defer os.Remove(pidfile)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C {
		if os.Getppid() == 1 {
			lg.Printf("parent exited; stopping")
			os.Exit(0) // HAZ exit-skips-defer
		}
	}
}

func main() {
	statusPath := flag.String("status", "/var/run/up15/status", "status file to follow")
	jdir := flag.String("journal", "/var/lib/up15/tail-journal", "journal directory")
	pidfile := flag.String("pidfile", "/var/run/up15/tail.pid", "pid file")
	every := flag.Duration("every", 2*time.Second, "poll interval")
	flag.Parse()
	lg := log.New(os.Stderr, "up15tail: ", log.LstdFlags)
	j, err := journal.Open(*jdir, 16<<20)
	if err != nil {
		lg.Fatalf("open journal: %v", err)
	}
	defer j.Close()
	items := make(chan pipeline.Item, 64)
	w := pipeline.NewWatcher(*statusPath, *every, items, lg)
	go w.Poll(context.Background())
	go record(items, j, lg)
	go watchParent(lg, *pidfile)
	select {} // HAZ signal-skips-defer
}
