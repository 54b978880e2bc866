// Package httpapi serves the ingest daemon's HTTP API.
package httpapi

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"net/url"
	"time"

	"example.com/up17/internal/cache"
	"example.com/up17/internal/seq"
)

// Profile is an upstream user profile.
type Profile struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Server holds the API's dependencies.
type Server struct {
	client   *http.Client
	upstream string
	profiles *cache.Cache[string, Profile]
	index    *seq.Index
	audit    *AuditClient
	logger   *log.Logger
}

// NewServer wires a server.
func NewServer(client *http.Client, upstream string, audit *AuditClient, index *seq.Index, logger *log.Logger) *Server {
	s := &Server{client: client, upstream: upstream, audit: audit, index: index, logger: logger}
	s.profiles = cache.New(5*time.Minute, s.loadProfile)
	return s
}

// Routes returns the API's handler, wrapped in the recovery middleware.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /profiles/{id}", s.handleProfile)
	mux.HandleFunc("GET /v2/profiles/{id}", s.handleProfileBounded)
	mux.HandleFunc("POST /profiles/{id}/verify", s.handleVerify)
	mux.HandleFunc("GET /docs/{id}", s.handleDoc)
	return s.recoverMiddleware(mux)
}

// loadProfile is the cache loader.
func (s *Server) loadProfile(ctx context.Context, id string) (Profile, error) {
	return fetchJSON[Profile](ctx, s.client, s.upstream+"/profiles/"+url.PathEscape(id))
}

// handleProfile returns a profile and records an audit event.
func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.audit.Send(r.Context(), Event{Action: "profile.read", Subject: id, Remote: r.RemoteAddr}) // HAZ defer-blocking-call
	p, err := s.profiles.Refresh(r.Context(), id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// handleProfileBounded is handleProfile with the audit call bounded by a
// short timeout created inside the deferred literal.
func (s *Server) handleProfileBounded(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 150*time.Millisecond)
		defer cancel()
		if err := s.audit.Send(ctx, Event{Action: "profile.read", Subject: id, Remote: r.RemoteAddr}); err != nil {
			s.logger.Printf("audit: %v", err)
		}
	}()
	p, err := s.profiles.Refresh(r.Context(), id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// verifyResult is the upstream verification answer.
type verifyResult struct {
	Verified bool   `json:"verified"`
	Reason   string `json:"reason"`
}

// handleVerify asks the upstream to verify a profile, giving up after two
// seconds. The result channel has room for the one sender.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()

	type answer struct {
		res verifyResult
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		res, err := postJSON[map[string]string, verifyResult](ctx, s.client, s.upstream+"/verify", map[string]string{"id": id})
		ch <- answer{res, err}
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			http.Error(w, a.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, http.StatusOK, a.res)
	case <-ctx.Done():
		http.Error(w, "verification timed out", http.StatusGatewayTimeout)
	}
}

// handleDoc returns an indexed document.
func (s *Server) handleDoc(w http.ResponseWriter, r *http.Request) {
	d, ok := s.index.Get(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// recoverMiddleware turns handler panics into 500 responses and logs them.
func (s *Server) recoverMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.logger.Printf("%s %s: panic: %v", r.Method, r.URL.Path, rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("httpapi: write response: %v", err)
	}
}
