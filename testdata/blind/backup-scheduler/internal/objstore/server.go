// Package objstore is a small HTTP object store: an in-memory server used in
// tests and by cmd/objstore-fake, and the client the agent uploads with.
//
// Protocol: PUT, GET, HEAD and DELETE on /o/{key}; GET /o/?prefix=p lists keys.
package objstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type object struct {
	data     []byte
	sum      string
	modified time.Time
}

// Server is an in-memory object store.
type Server struct {
	mu      sync.RWMutex
	objects map[string]object
	maxSize int64
}

// NewServer returns an empty store that rejects objects larger than maxSize.
func NewServer(maxSize int64) *Server {
	return &Server{objects: make(map[string]object), maxSize: maxSize}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key, ok := strings.CutPrefix(r.URL.Path, "/o/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch {
	case r.Method == http.MethodGet && key == "":
		s.handleList(w, r)
	case r.Method == http.MethodPut:
		s.handlePut(w, r, key)
	case r.Method == http.MethodGet, r.Method == http.MethodHead:
		s.handleGet(w, r, key)
	case r.Method == http.MethodDelete:
		s.handleDelete(w, r, key)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request, key string) {
	data, err := io.ReadAll(io.LimitReader(r.Body, s.maxSize+1))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if int64(len(data)) > s.maxSize {
		http.Error(w, "object too large", http.StatusRequestEntityTooLarge)
		return
	}
	sum := sha256.Sum256(data)
	obj := object{data: data, sum: hex.EncodeToString(sum[:]), modified: time.Now()}
	s.mu.Lock()
	s.objects[key] = obj
	s.mu.Unlock()
	w.Header().Set("ETag", obj.sum)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request, key string) {
	s.mu.RLock()
	obj, ok := s.objects[key]
	s.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", obj.sum)
	w.Header().Set("Content-Length", strconv.Itoa(len(obj.data)))
	w.Header().Set("Last-Modified", obj.modified.UTC().Format(http.TimeFormat))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(obj.data)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, key string) {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	if _, ok := s.objects[key]; !ok {
		http.NotFound(w, r)
		return
	}
	delete(s.objects, key)
	w.WriteHeader(http.StatusNoContent)
}

type listEntry struct {
	Key  string `json:"key"`
	Size int    `json:"size"`
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := s.Keys(r.URL.Query().Get("prefix")) // HAZ lock-reentry-under-defer
	list := make([]listEntry, 0, len(keys))
	for _, k := range keys {
		list = append(list, listEntry{Key: k, Size: len(s.objects[k].data)})
	}
	s.writeList(w, list)
}

// writeList encodes a listing. Encoding a large listing to a client that
// disconnects can fail half-way; that must not take the server down.
func (s *Server) writeList(w http.ResponseWriter, list []listEntry) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
		}
	}()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(list)
}

// Keys returns the sorted keys that start with prefix.
func (s *Server) Keys(prefix string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var keys []string
	for k := range s.objects {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Len returns the number of stored objects.
func (s *Server) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.objects)
}

// SaveTo writes every object to dir, one file per object named by its
// escaped key.
func (s *Server) SaveTo(dir string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for key, obj := range s.objects {
		name := filepath.Join(dir, url.PathEscape(key))
		if err := os.WriteFile(name, obj.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Import loads every file in dir as an object named by its unescaped file
// name (the inverse of SaveTo).
func (s *Server) Import(dir string) (int, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	s.mu.Lock() // HAZ lock-leaked-on-return
	n := 0
	for _, e := range ents {
		key, err := url.PathUnescape(e.Name())
		if err != nil || e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return n, err
		}
		sum := sha256.Sum256(data)
		s.objects[key] = object{data: data, sum: hex.EncodeToString(sum[:]), modified: time.Now()}
		n++
	}
	s.mu.Unlock()
	return n, nil
}

// SaveKeys writes the named objects to dir; missing keys are skipped.
func (s *Server) SaveKeys(dir string, keys []string) error {
	for _, key := range keys {
		s.mu.RLock()
		defer s.mu.RUnlock() // HAZ defer-in-loop
		obj, ok := s.objects[key]
		if !ok {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, url.PathEscape(key)), obj.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
