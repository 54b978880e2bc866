// Command fahd serves the key/value store.
package main

import (
	"flag"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"example.com/fah29/internal/fsx"
	"example.com/fah29/internal/httpx"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	pidFile := flag.String("pidfile", "/run/fahd.pid", "file to hold the process id")
	hook := flag.String("hook", "", "URL notified of changes")
	flag.Parse()

	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := writePID(*pidFile); err != nil {
		logger.Error("pidfile", "err", err)
		os.Exit(1)
	}
	defer os.Remove(*pidFile)

	srv := &http.Server{
		Addr:              *addr,
		Handler:           httpx.NewServer(logger, *hook).Routes(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	logger.Info("listening", "addr", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Error("serve", "err", err)
	}
}

func writePID(path string) error {
	pid := strconv.Itoa(os.Getpid()) + "\n"
	if err := fsx.WriteFileSync(path, []byte(pid), 0o644); err != nil {
		return err
	}
	return nil
}
