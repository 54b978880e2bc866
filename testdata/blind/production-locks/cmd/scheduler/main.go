// Command scheduler runs the cron-style job scheduler daemon.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"
)

type task struct {
	name  string
	every time.Duration
}

func writePIDFile(path string) error {
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

func runTask(log *slog.Logger, t task, queue chan<- string) {
	tick := time.NewTicker(t.every)
	defer tick.Stop()
	for now := range tick.C {
		select {
		case queue <- t.name:
		default:
			log.Warn("queue full, skipping run", "task", t.name, "at", now)
		}
	}
}

func worker(log *slog.Logger, id int, queue <-chan string) {
	for name := range queue {
		log.Info("running task", "worker", id, "task", name)
	}
}

func main() {
	pidPath := flag.String("pidfile", "/run/scheduler.pid", "pid file")
	workers := flag.Int("workers", 4, "worker goroutines")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := writePIDFile(*pidPath); err != nil {
		fmt.Fprintln(os.Stderr, "scheduler:", err)
		os.Exit(1)
	}
	defer os.Remove(*pidPath)

	queue := make(chan string, 64)
	for i := range *workers {
		go worker(log, i, queue)
	}
	for _, t := range []task{{"compact", time.Hour}, {"reindex", 6 * time.Hour}, {"gc", 10 * time.Minute}} {
		go runTask(log, t, queue)
	}
	log.Info("scheduler started", "workers", *workers)
	select {} // HAZ signal-skips-defer
}
