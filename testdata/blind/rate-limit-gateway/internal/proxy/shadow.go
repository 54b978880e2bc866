package proxy

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// Shadow mirrors a sample of a route's traffic to a canary upstream. The
// canary's answers are discarded; only the primary answers the client.
type Shadow struct {
	canary  *url.URL
	client  *http.Client
	primary http.Handler
	every   uint64
	n       atomic.Uint64
}

// NewShadow mirrors one request out of every to canary.
func NewShadow(canary *url.URL, every uint64, primary http.Handler) *Shadow {
	return &Shadow{canary: canary, client: &http.Client{Timeout: 5 * time.Second}, primary: primary, every: every}
}

func (s *Shadow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.every == 0 || s.n.Add(1)%s.every != 0 || r.ContentLength > 1<<20 {
		s.primary.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	clone := r.Clone(context.WithoutCancel(r.Context()))
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.RequestURI = ""
	clone.URL.Scheme = s.canary.Scheme
	clone.URL.Host = s.canary.Host
	clone.Host = s.canary.Host
	go s.send(clone)
	s.primary.ServeHTTP(w, r)
}

// send delivers a mirrored request; canary failures must not affect anything.
func (s *Shadow) send(req *http.Request) {
	defer func() {
		if v := recover(); v != nil { // HAZ recover-swallows-panic
		}
	}()
	resp, err := s.client.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		log.Printf("shadow %s: %v", s.canary.Host, err)
	}
}
