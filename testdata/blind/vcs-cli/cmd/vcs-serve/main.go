// Command vcs-serve exposes a repository over HTTP for `vcs fetch` and
// pushes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/vcscli/internal/repo"
)

// writePidFile records the server's pid, refusing to start twice.
func writePidFile(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("pid file %s: %w (is vcs-serve already running?)", path, err)
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
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

func main() {
	addr := flag.String("listen", ":8418", "address to listen on")
	root := flag.String("repo", ".", "repository to serve")
	maxPush := flag.Int64("max-push", 512<<20, "largest accepted push in bytes")
	flag.Parse()

	r, err := repo.Open(*root)
	if err != nil {
		log.Fatalf("vcs-serve: %v", err)
	}
	pid, err := writePidFile(filepath.Join(r.Dir, "serve.pid"))
	if err != nil {
		log.Fatalf("vcs-serve: %v", err)
	}
	defer os.Remove(pid)

	s := &server{repo: r, maxPush: *maxPush, logger: log.New(os.Stderr, "vcs-serve: ", log.LstdFlags)}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	s.logger.Printf("serving %s on %s", r.Root, *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		s.logger.Printf("server stopped: %v", err)
	}
}
