// Command wfworker polls the engine for activity tasks and runs them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"example.com/wfengine/internal/client"
	"example.com/wfengine/internal/worker"
)

func main() {
	server := flag.String("server", "http://127.0.0.1:7233", "engine API address")
	queue := flag.String("queue", "", "task queue to serve (required)")
	pidPath := flag.String("pidfile", "/run/wfworker.pid", "PID file")
	spool := flag.String("spool", "/var/spool/wfworker", "blob spool directory")
	flag.Parse()

	if *queue == "" {
		fmt.Fprintln(os.Stderr, "wfworker: -queue is required")
		os.Exit(2)
	}
	pid, err := writePIDFile(*pidPath)
	if err != nil {
		log.Fatalf("wfworker: %v", err)
	}
	defer os.Remove(pid)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "wfworker ", log.LstdFlags)
	host, _ := os.Hostname()
	backend := newHTTPBackend(client.New(*server, 30*time.Second))
	w := worker.New(host+"/"+strconv.Itoa(os.Getpid()), *queue, backend, logger)
	registerActivities(w, *spool)
	w.StartKeepAlive(10 * time.Second)

	if err := w.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Fatalf("wfworker: %v", err) // HAZ exit-skips-defer
	}
	logger.Printf("stopped")
}

// writePIDFile creates path exclusively so that two workers cannot share a
// spool, and returns the path to remove on exit.
func writePIDFile(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("pid file: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}
