// Command artifact-server serves the dist directory to the QA team and
// accepts uploads of externally built artifacts (notarized macOS builds).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/releasecli/internal/checksum"
)

const maxUpload = 2 << 30

type server struct {
	dir       string
	log       *log.Logger
	hookURL   string
	client    *http.Client
	mu        sync.Mutex
	downloads map[string]int
}

func newServer(dir, hookURL string, logger *log.Logger) *server {
	return &server{
		dir:       dir,
		log:       logger,
		hookURL:   hookURL,
		client:    &http.Client{Timeout: 30 * time.Second},
		downloads: make(map[string]int),
	}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/download/", s.handleDownload)
	mux.HandleFunc("/upload/", s.withRecover(s.handleUpload))
	mux.HandleFunc("/checksum/", s.handleChecksum)
	mux.HandleFunc("/stats", s.handleStats)
	mux.HandleFunc("/stats/rotate", s.handleRotate)
	mux.HandleFunc("/healthz", s.handleHealth)
	return mux
}

// withRecover turns a handler panic into a 500 response and a log line.
func (s *server) withRecover(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			report := func() {
				if rec := recover(); rec != nil { // HAZ recover-ineffective
					s.log.Printf("panic serving %s: %v", r.URL.Path, rec)
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}
			report()
		}()
		h(w, r)
	}
}

func (s *server) count(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.downloads[name]++
}

func (s *server) handleDownload(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	if name == "." || name == "/" || strings.HasPrefix(name, ".") {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		http.NotFound(w, r)
		return
	}
	s.count(name)
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(name))
	http.ServeContent(w, r, name, fi.ModTime(), f)
}

// notifyWebhook tells the release channel bot that a new artifact arrived.
func (s *server) notifyWebhook(name string) {
	if s.hookURL == "" {
		return
	}
	body := fmt.Sprintf(`{"text":"artifact %s uploaded"}`, name)
	resp, err := s.client.Post(s.hookURL, "application/json", strings.NewReader(body))
	if err != nil {
		s.log.Printf("webhook: %v", err)
		return
	}
	resp.Body.Close()
}

func (s *server) handleUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		http.Error(w, "use PUT", http.StatusMethodNotAllowed)
		return
	}
	name := path.Base(r.URL.Path)
	if name == "." || name == "/" || strings.HasPrefix(name, ".") {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	defer s.notifyWebhook(name) // HAZ defer-blocking-call

	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, http.MaxBytesReader(w, r.Body, maxUpload)); err != nil {
		tmp.Close()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := tmp.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, name)); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *server) handleChecksum(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	type result struct {
		sum checksum.Sum
		err error
	}
	ch := make(chan result)
	go func() {
		sum, err := checksum.File(filepath.Join(s.dir, name))
		ch <- result{sum, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, "%s  %s\n", res.sum.SHA256, res.sum.Name)
	case <-r.Context().Done():
		s.log.Printf("checksum %s: client went away", name)
	}
}

func (s *server) snapshot() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.downloads))
	for k, v := range s.downloads {
		out[k] = v
	}
	return out
}

func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.snapshot()); err != nil {
		s.log.Printf("stats: %v", err)
	}
}

// persist writes the download counters to path.
func (s *server) persist(path string) error {
	data, err := json.Marshal(s.snapshot())
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// rotateStats saves the counters of the period and starts again from zero.
func (s *server) rotateStats(path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.persist(path); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	s.downloads = make(map[string]int)
	return nil
}

func (s *server) handleRotate(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	p := filepath.Join(s.dir, ".stats-"+time.Now().UTC().Format("2006-01-02")+".json")
	if err := s.rotateStats(p); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := os.ReadDir(s.dir)
		errc <- err
	}()
	select {
	case err := <-errc:
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	case <-ctx.Done():
		http.Error(w, "storage timeout", http.StatusServiceUnavailable)
	}
}

func writePidFile(p string) (string, error) {
	if err := os.WriteFile(p, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return "", err
	}
	return p, nil
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dir := flag.String("dir", "dist", "directory to serve")
	hook := flag.String("webhook", "", "URL notified after each upload")
	pidPath := flag.String("pidfile", "artifact-server.pid", "pid file")
	flag.Parse()

	logger := log.New(os.Stderr, "artifact-server: ", log.LstdFlags)
	if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
		logger.Fatalf("%s is not a directory", *dir)
	}
	pid, err := writePidFile(*pidPath)
	if err != nil {
		logger.Fatal(err)
	}
	defer os.Remove(pid)

	srv := &http.Server{
		Addr:              *addr,
		Handler:           newServer(*dir, *hook, logger).routes(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	logger.Printf("serving %s on %s", *dir, *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("server stopped: %v", err)
	}
}
