// Command repo-server is a minimal object store for development and small
// installations: it keeps objects as files below a directory and implements
// the PUT/GET/HEAD/DELETE and lease API that backupd's uploader speaks.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	dir := flag.String("dir", "./objects", "directory holding the objects")
	addr := flag.String("addr", ":9000", "listen address")
	pidFile := flag.String("pidfile", "/run/repo-server.pid", "pid file")
	flag.Parse()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := writePidFile(*pidFile); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(*pidFile)

	s := &store{dir: *dir, leases: make(map[string]lease)}
	go s.sweepUploads(*dir)
	log.Printf("repo-server: serving %s on %s", *dir, *addr)
	err := http.ListenAndServe(*addr, s) // HAZ signal-skips-defer
	log.Printf("repo-server: %v", err)
}

func writePidFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		return err
	}
	return f.Close()
}

type lease struct {
	owner   string
	expires time.Time
}

type store struct {
	dir string

	mu     sync.Mutex
	leases map[string]lease
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/leases"):
		s.handleLease(w, r, strings.Trim(strings.TrimPrefix(r.URL.Path, "/leases"), "/"))
	case r.URL.Path == "/objects/" && r.Method == http.MethodGet:
		s.handleList(w, r)
	case strings.HasPrefix(r.URL.Path, "/objects/"):
		key := strings.TrimPrefix(r.URL.Path, "/objects/")
		if !validKey(key) {
			http.Error(w, "bad key", http.StatusBadRequest)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			s.handleGet(w, r, key)
		case http.MethodPut:
			s.handlePut(w, r, key)
		case http.MethodDelete:
			s.handleDelete(w, key)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	default:
		http.NotFound(w, r)
	}
}

// sweepUploads removes temporary files of interrupted uploads once a
// minute. Only files older than an hour are touched.
func (s *store) sweepUploads(dir string) {
	for range time.Tick(time.Minute) {
		d, err := os.Open(dir)
		if err != nil {
			log.Printf("repo-server: sweep: %v", err)
			continue
		}
		defer d.Close() // HAZ defer-in-infinite-loop
		names, err := d.Readdirnames(-1)
		if err != nil {
			continue
		}
		for _, name := range names {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && strings.HasPrefix(name, ".put-") && time.Since(st.ModTime()) > time.Hour {
				os.Remove(p)
			}
		}
	}
}

func validKey(key string) bool {
	if key == "" || strings.HasPrefix(key, "/") {
		return false
	}
	for _, part := range strings.Split(key, "/") {
		if part == "" || part == "." || part == ".." || strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

func (s *store) path(key string) string { return filepath.Join(s.dir, filepath.FromSlash(key)) }

func (s *store) handleGet(w http.ResponseWriter, r *http.Request, key string) {
	f, err := os.Open(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, key, st.ModTime(), f)
}

func (s *store) handlePut(w http.ResponseWriter, r *http.Request, key string) {
	dst := s.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	tmp, err := os.CreateTemp(s.dir, ".put-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.Remove(tmp.Name())

	if _, err := io.Copy(tmp, r.Body); err != nil {
		tmp.Close()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := tmp.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *store) handleDelete(w http.ResponseWriter, key string) {
	err := os.Remove(s.path(key))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		w.WriteHeader(http.StatusNotFound)
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *store) handleList(w http.ResponseWriter, r *http.Request) {
	prefix := r.URL.Query().Get("prefix")
	var keys []string
	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, err := filepath.Rel(s.dir, p)
		if err != nil {
			return err
		}
		if key := filepath.ToSlash(rel); strings.HasPrefix(key, prefix) {
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	sort.Strings(keys)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(keys)
}

// handleLease grants one writer lease at a time: POST /leases takes it,
// DELETE /leases/<id> gives it back. Leases expire after an hour.
func (s *store) handleLease(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for k, l := range s.leases {
		if now.After(l.expires) {
			delete(s.leases, k)
		}
	}
	switch {
	case r.Method == http.MethodPost && id == "":
		if len(s.leases) > 0 {
			http.Error(w, "lease held", http.StatusConflict)
			return
		}
		owner, _ := io.ReadAll(io.LimitReader(r.Body, 256))
		var b [12]byte
		rand.Read(b[:])
		newID := hex.EncodeToString(b[:])
		s.leases[newID] = lease{owner: string(owner), expires: now.Add(time.Hour)}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintln(w, newID)
	case r.Method == http.MethodDelete && id != "":
		if _, ok := s.leases[id]; !ok {
			http.NotFound(w, r)
			return
		}
		delete(s.leases, id)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "bad lease request", http.StatusBadRequest)
	}
}
