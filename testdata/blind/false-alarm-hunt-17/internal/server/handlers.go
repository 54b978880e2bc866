package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"example.com/fah17/internal/index"
	"example.com/fah17/internal/obs"
	"example.com/fah17/internal/store"
)

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	defer s.track("get")()
	defer obs.Span(r.Context(), s.logger, "blob.get")()
	key := r.PathValue("key")
	if b, ok := s.cache.Get(key); ok {
		s.stats.Add("cache_hit", 1)
		w.Write(b)
		return
	}
	b, err := s.store.ReadAll(key)
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.stats.Add("cache_miss", 1)
	s.cache.Set(key, b)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(b)
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	defer s.track("put")()
	key := r.PathValue("key")
	// Peers must hear about the new blob whatever happens to this request.
	defer s.notifyPeers(context.WithoutCancel(r.Context()), key) // HAZ defer-blocking-call
	meta, err := s.store.Put(key, http.MaxBytesReader(w, r.Body, maxUpload))
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.cache.Delete(key)
	writeJSON(w, http.StatusCreated, meta)
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	defer s.track("delete")()
	key := r.PathValue("key")
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), peerTimeout)
		defer cancel()
		s.notifyPeers(ctx, key)
	}()
	if err := s.store.Delete(key); err != nil {
		s.writeError(w, err)
		return
	}
	s.cache.Delete(key)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	defer s.track("verify")()
	key := r.PathValue("key")
	errc := make(chan error)
	go func() {
		errc <- s.store.Verify(key) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-errc:
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"key": key, "status": "ok"})
	case <-time.After(verifyLimit):
		http.Error(w, "verification still running", http.StatusAccepted)
	case <-r.Context().Done():
	}
}

func (s *Server) handleStat(w http.ResponseWriter, r *http.Request) {
	defer s.track("stat")()
	key := r.PathValue("key")
	type result struct {
		meta store.Meta
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		m, err := s.store.Stat(key)
		ch <- result{m, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			s.writeError(w, res.err)
			return
		}
		writeJSON(w, http.StatusOK, res.meta)
	case <-r.Context().Done():
	}
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	defer s.track("search") // HAZ defer-func-result-not-called
	q := r.URL.Query().Get("q")
	limit := min(max(queryInt(r, "limit", 50), 1), 500)
	out := make([]index.Entry, 0, limit)
	for e := range s.index.Search(q) {
		if len(out) == limit {
			break
		}
		out = append(out, e)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	defer s.track("stats")()
	writeJSON(w, http.StatusOK, map[string]any{
		"counters": s.stats.Snapshot(),
		"cached":   s.cache.Len(),
		"indexed":  s.index.Len(),
	})
}

func (s *Server) handleRebuild(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.logger.Error("rebuild handler panicked", "panic", v)
			http.Error(w, "rebuild failed", http.StatusInternalServerError)
		}
	}()
	if !s.rebuilding.CompareAndSwap(false, true) {
		http.Error(w, "a rebuild is already running", http.StatusConflict)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	go s.rebuild(ctx) // HAZ goroutine-outside-recover
	w.WriteHeader(http.StatusAccepted)
}

// rebuild recomputes the store index and empties the cache.
func (s *Server) rebuild(ctx context.Context) {
	defer s.rebuilding.Store(false)
	var (
		n   int
		err error
	)
	defer s.logger.Info("rebuild finished", "blobs", n, "err", err) // HAZ defer-eager-evaluation
	n, err = s.store.Rebuild(ctx)
	if err != nil {
		return
	}
	s.cache.Clear()
}

func (s *Server) handleWarm(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.logger.Error("warm handler panicked", "panic", v)
			http.Error(w, "warm failed", http.StatusInternalServerError)
		}
	}()
	keys := slices.Collect(s.store.Keys())
	keys = keys[:min(len(keys), maxWarm)]
	go func() {
		defer obs.Recover(s.logger, "cache warm")
		for _, k := range keys {
			b, err := s.store.ReadAll(k)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				s.logger.Warn("warm read failed", "key", k, "err", err)
				continue
			}
			s.cache.Set(k, b)
		}
	}()
	writeJSON(w, http.StatusAccepted, map[string]int{"warming": len(keys)})
}
