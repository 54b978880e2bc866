// Package server is the HTTP front end of an up9 node.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"

	"example.com/up9/internal/blob"
	"example.com/up9/internal/cache"
)

// Server serves blobs from a store through a cache.
type Server struct {
	st    *blob.Store
	cache *cache.Cache
	peers []string
	hc    *http.Client
	log   *log.Logger
	mux   *http.ServeMux
}

// New wires the routes.
func New(st *blob.Store, c *cache.Cache, peers []string, logger *log.Logger) *Server {
	if logger == nil {
		logger = log.Default()
	}
	s := &Server{st: st, cache: c, peers: peers, hc: &http.Client{}, log: logger, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /blob/{name}", s.handleGet)
	s.mux.HandleFunc("PUT /blob/{name}", s.handleUpload)
	s.mux.HandleFunc("GET /lookup/{key}", s.handleLookup)
	s.mux.HandleFunc("GET /stats", s.handleStats)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	rc, err := s.st.Get(name)
	if errors.Is(err, fs.ErrNotExist) {
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
		s.log.Printf("get %s: %v", name, err)
	}
}

// announce tells every peer that name changed.
func (s *Server) announce(name string) {
	for _, peer := range s.peers {
		resp, err := s.hc.Post("http://"+peer+"/announce", "text/plain", strings.NewReader(name))
		if err != nil {
			s.log.Printf("announce %s to %s: %v", name, peer, err)
			continue
		}
		resp.Body.Close()
	}
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	defer r.Body.Close()
	if err := s.st.Put(name, r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer s.announce(name) // HAZ defer-blocking-call
	s.cache.Set(name, nil)
	w.WriteHeader(http.StatusCreated)
}

// lookupRemote asks peer for key and sends the value on found if the peer has it.
func (s *Server) lookupRemote(ctx context.Context, peer, key string, found chan<- []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+peer+"/lookup/"+url.PathEscape(key), nil)
	if err != nil {
		return
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return
	}
	found <- b
}

func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if v, ok := s.cache.Get(key); ok {
		w.Write(v)
		return
	}
	found := make(chan []byte)
	for _, peer := range s.peers {
		go s.lookupRemote(r.Context(), peer, key, found) // HAZ goroutine-blocked-send
	}
	select {
	case v := <-found:
		s.cache.Set(key, v)
		w.Write(v)
	case <-time.After(2 * time.Second):
		http.Error(w, "not found", http.StatusNotFound)
	}
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	var st struct {
		Entries, Pinned, Blobs int
	}
	blobs := make(chan int, 1)
	go func() {
		n := 0
		for range s.st.All() {
			n++
		}
		blobs <- n
	}()
	st.Entries, st.Pinned = s.cache.Stats()
	select {
	case st.Blobs = <-blobs:
	case <-r.Context().Done():
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(st); err != nil {
		s.log.Printf("stats: %v", err)
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer s.log.Printf("healthz from %s (started %s)", r.RemoteAddr, start.Format(time.RFC3339Nano))
	if _, ok := s.st.Size("__probe__"); ok {
		http.Error(w, "probe blob must not exist", http.StatusInternalServerError)
		return
	}
	io.WriteString(w, "ok\n")
}
