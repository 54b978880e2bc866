// Package svc holds the small pieces shared by the daemons under cmd/: a
// write-back key/value store and a file-based lease.
package svc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Store is an in-memory key/value store that is persisted to dir on Close.
// Writes accepted since the last Close are lost if Close never runs.
type Store struct {
	dir   string
	mu    sync.RWMutex
	data  map[string][]byte
	dirty bool
}

// OpenStore loads the snapshot in dir, if any.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, data: make(map[string][]byte)}
	b, err := os.ReadFile(filepath.Join(dir, "snapshot.json"))
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &s.data); err != nil {
		return nil, fmt.Errorf("snapshot in %s: %w", dir, err)
	}
	return s, nil
}

// Get returns the value stored under key.
func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	return v, ok
}

// Put stores value under key.
func (s *Store) Put(key string, value []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = value
	s.dirty = true
}

// Close writes the snapshot back to disk.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.dirty {
		return nil
	}
	b, err := json.Marshal(s.data)
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, "snapshot.json.tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	s.dirty = false
	return os.Rename(tmp, filepath.Join(s.dir, "snapshot.json"))
}

// Handler serves GET and PUT on /<prefix>/<key>.
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		if key == "" {
			http.Error(w, "missing key", http.StatusBadRequest)
			return
		}
		switch r.Method {
		case http.MethodGet:
			v, ok := s.Get(key)
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Write(v)
		case http.MethodPut:
			b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			s.Put(key, b)
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

// Lease is an exclusive, file-based lease on a named role.
type Lease struct {
	path string
}

// AcquireLease takes the lease for role in dir. A lease file left behind by
// a killed process must be removed by hand.
func AcquireLease(dir, role string) (*Lease, error) {
	p := filepath.Join(dir, role+".lease")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lease %s: %w", role, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(p)
		return nil, err
	}
	return &Lease{path: p}, nil
}

// Release gives the lease back.
func (l *Lease) Release() error {
	return os.Remove(l.path)
}
