package api

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"

	"example.com/up15/internal/guard"
	"example.com/up15/internal/index"
)

func (s *Server) handleBlob(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/blobs/")
	if key == "" {
		http.Error(w, "missing key", http.StatusBadRequest)
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.handleGet(w, r, key)
	case http.MethodPut:
		s.handleUpload(w, r, key)
	case http.MethodDelete:
		s.handleDelete(w, r, key)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request, key string) {
	rc, err := s.store.Open(key)
	if errors.Is(err, os.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	if _, err := io.Copy(w, rc); err != nil {
		s.log.Printf("get %s: %v", key, err)
	}
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request, key string) {
	defer s.notify("upload", key) // HAZ defer-blocking-call
	if err := s.store.Put(key, r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	size, err := s.store.Size(key)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.ix.Put(index.Doc{Key: key, Size: size})
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, key string) {
	defer s.tryNotify("delete", key)
	if err := s.store.Delete(key); err != nil && !errors.Is(err, os.ErrNotExist) {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.ix.Delete(key)
	w.WriteHeader(http.StatusNoContent)
}

// handleReindex re-reads one blob and refreshes its index entry in the
// background.
func (s *Server) handleReindex(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Printf("reindex: panic: %v", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	key := r.URL.Query().Get("key")
	if key == "" {
		http.Error(w, "missing key", http.StatusBadRequest)
		return
	}
	go s.reindex(key) // HAZ goroutine-outside-recover
	w.WriteHeader(http.StatusAccepted)
}

// handleRebuild rebuilds the whole index in the background; the goroutine
// carries its own recover.
func (s *Server) handleRebuild(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Printf("rebuild: panic: %v", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	keys := r.URL.Query()["key"]
	go func() {
		defer guard.Recover(s.log, "rebuild")
		for _, k := range keys {
			s.reindex(k)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) reindex(key string) {
	size, err := s.store.Size(key)
	if err != nil {
		s.log.Printf("reindex %s: %v", key, err)
		return
	}
	d, _ := s.ix.Get(key)
	d.Key, d.Size = key, size
	s.ix.Put(d)
}
