// Command relayd serves the upload API in front of a local blob directory.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/unusualpositives2/internal/fetch"
)

type dirStore struct {
	mu    sync.Mutex
	dir   string
	index *os.File
}

func openStore(dir string) (*dirStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	idx, err := os.OpenFile(filepath.Join(dir, "index"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &dirStore{dir: dir, index: idx}, nil
}

func (s *dirStore) Put(name string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.WriteFile(filepath.Join(s.dir, name), data, 0o644); err != nil {
		return err
	}
	_, err := fmt.Fprintf(s.index, "%s %d %d\n", name, len(data), time.Now().Unix())
	return err
}

func (s *dirStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.index.Sync(); err != nil {
		s.index.Close()
		return err
	}
	return s.index.Close()
}

func newMux(store *dirStore, logger *log.Logger) *http.ServeMux {
	h := fetch.NewHandler(fetch.NewUploader(store, 8<<20), "http://audit.internal/events", func(p string) []byte {
		return []byte("<html><body>" + p + "</body></html>")
	}, logger)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", h.UploadAsync)
	mux.HandleFunc("GET /preview/", h.Preview)
	return mux
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dir := flag.String("dir", "/var/lib/relayd", "blob directory")
	flag.Parse()
	logger := log.New(os.Stderr, "relayd ", log.LstdFlags)

	store, err := openStore(*dir)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	defer func() {
		if err := store.Close(); err != nil {
			logger.Printf("close store: %v", err)
		}
	}()

	srv := &http.Server{Addr: *addr, Handler: newMux(store, logger), ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
