package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"example.com/modernapis/internal/fsstore"
	"example.com/modernapis/internal/pipeline"
)

const maxBody = 8 << 20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if b, ok := s.cache.Get(key); ok {
		w.Write(b)
		return
	}
	b, err := s.store.Get(key)
	switch {
	case errors.Is(err, fsstore.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.cache.Put(key, b)
	w.Write(b)
}

func (s *Server) handlePut(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer r.Body.Close()
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if err := s.store.Put(key, b); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	c := Change{Key: key, Size: len(b), At: time.Now()}
	defer s.publish(c) // HAZ defer-blocking-call
	s.cache.Remove(key)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handlePutAsync(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if err := s.store.Put(key, b); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	c := Change{Key: key, Size: len(b), At: time.Now()}
	defer s.tryPublish(c)
	s.cache.Remove(key)
	s.bg.Go(func() {
		err := pipeline.Detach(r.Context(), 2*time.Second, func(ctx context.Context) error {
			return s.store.AppendJournalSync("put " + key)
		})
		if err != nil {
			s.log.Warn("journal", "key", key, "err", err)
		}
	})
	w.WriteHeader(http.StatusAccepted)
}

type searchResult struct {
	hits []string
	err  error
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	res := make(chan searchResult)
	go func() {
		hits, err := s.search(ctx, q)
		res <- searchResult{hits, err} // HAZ goroutine-blocked-send
	}()
	select {
	case sr := <-res:
		if sr.err != nil {
			http.Error(w, sr.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, sr.hits)
	case <-ctx.Done():
		http.Error(w, "search timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) handleSearchBounded(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	res := make(chan searchResult, 1)
	go func() {
		hits, err := s.search(ctx, q)
		res <- searchResult{hits, err}
	}()
	select {
	case sr := <-res:
		if sr.err != nil {
			http.Error(w, sr.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, sr.hits)
	case <-ctx.Done():
		http.Error(w, "search timed out", http.StatusGatewayTimeout)
	}
}

func (s *Server) upstreamURL(p string) string {
	u, err := url.JoinPath(s.upstream, p)
	if err != nil {
		return s.upstream
	}
	return u
}

func (s *Server) handleProxy(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, s.upstreamURL(r.PathValue("path")), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	start := time.Now()
	resp, err := s.client.Do(req)
	s.log.Debug("proxied", "path", req.URL.Path, "took", time.Since(start))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (s *Server) handleProxyChecked(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, s.upstreamURL(r.PathValue("path")), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := s.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	_, err := pipeline.FirstBuffered(ctx, func() int { return s.cache.Len() })
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
