// Package jwks keeps the set of HMAC signing keys used to verify the
// gateway's signed session tokens, refreshed from the identity service.
//
// Tokens look like "kid.payload.signature" with base64url parts; the
// signature is HMAC-SHA256 over "kid.payload".
package jwks

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/gateway/internal/obs"
)

// ErrTimeout is returned when a refresh does not finish in time.
var ErrTimeout = errors.New("jwks: refresh timed out")

// Set is the current key set.
type Set struct {
	url    string
	client *http.Client
	maxAge time.Duration
	logger *log.Logger

	mu        sync.RWMutex
	keys      map[string][]byte
	fetchedAt time.Time

	// OnRefresh, when set, is told how many keys a refresh installed.
	OnRefresh func(n int)
}

// New returns an empty set fetched from url.
func New(url string, maxAge time.Duration, logger *log.Logger) *Set {
	return &Set{url: url, client: &http.Client{}, maxAge: maxAge, logger: logger, keys: map[string][]byte{}}
}

type wireKey struct {
	ID     string `json:"kid"`
	Secret string `json:"k"`
}

// fetch downloads and decodes the key set.
func (s *Set) fetch(ctx context.Context) (map[string][]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("jwks: %s answered %s", s.url, resp.Status)
	}
	var doc struct {
		Keys []wireKey `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil {
		return nil, err
	}
	keys := make(map[string][]byte, len(doc.Keys))
	for _, k := range doc.Keys {
		secret, err := base64.RawURLEncoding.DecodeString(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("jwks: key %s: %w", k.ID, err)
		}
		keys[k.ID] = secret
	}
	return keys, nil
}

// Refresh replaces the key set with a freshly fetched one.
func (s *Set) Refresh(ctx context.Context) error {
	keys, err := s.fetch(ctx)
	if err != nil {
		return err
	}
	defer s.OnRefresh(len(keys)) // HAZ defer-nil-func
	s.mu.Lock()
	s.keys, s.fetchedAt = keys, time.Now()
	s.mu.Unlock()
	return nil
}

// RefreshWithin is Refresh with a deadline, for the startup path.
func (s *Set) RefreshWithin(d time.Duration) error {
	errc := make(chan error)
	go func() { errc <- s.Refresh(context.Background()) }() // HAZ goroutine-blocked-send
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		return ErrTimeout
	}
}

// RefreshCtx is Refresh bounded by a timeout through its context.
func (s *Set) RefreshCtx(parent context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(parent, d)
	defer cancel()
	return s.Refresh(ctx)
}

func (s *Set) stale() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return time.Since(s.fetchedAt) > s.maxAge
}

// key returns the secret for kid.
func (s *Set) key(kid string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.keys[kid]
	return k, ok
}

// Verify checks token and returns its payload.
func (s *Set) Verify(token string) ([]byte, error) {
	defer obs.Track("jwks.verify") // HAZ defer-func-result-not-called
	kid, rest, ok := strings.Cut(token, ".")
	if !ok {
		return nil, errors.New("jwks: malformed token")
	}
	payload, sig, ok := strings.Cut(rest, ".")
	if !ok {
		return nil, errors.New("jwks: malformed token")
	}
	secret, ok := s.key(kid)
	if !ok {
		return nil, fmt.Errorf("jwks: unknown key %q", kid)
	}
	want := sign(secret, kid+"."+payload)
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, want) {
		return nil, errors.New("jwks: bad signature")
	}
	return base64.RawURLEncoding.DecodeString(payload)
}

func sign(secret []byte, msg string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// Sign issues a token for payload with key kid; used by tests and tooling.
func (s *Set) Sign(kid string, payload []byte) (string, error) {
	secret, ok := s.key(kid)
	if !ok {
		return "", fmt.Errorf("jwks: unknown key %q", kid)
	}
	p := base64.RawURLEncoding.EncodeToString(payload)
	return kid + "." + p + "." + base64.RawURLEncoding.EncodeToString(sign(secret, kid+"."+p)), nil
}

// ServeKeys answers GET /.well-known/gateway-keys with the key IDs in use,
// refreshing the set after answering when it is stale.
func (s *Set) ServeKeys(w http.ResponseWriter, r *http.Request) {
	if s.stale() {
		defer s.Refresh(context.Background()) // HAZ defer-blocking-call
	}
	s.mu.RLock()
	ids := make([]string, 0, len(s.keys))
	for id := range s.keys {
		ids = append(ids, id)
	}
	s.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"kids": ids})
}

// RunRefresher refreshes the set every maxAge/2 until ctx ends; each
// refresh is bounded to ten seconds.
func (s *Set) RunRefresher(ctx context.Context) {
	t := time.NewTicker(s.maxAge / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.RefreshCtx(ctx, 10*time.Second); err != nil {
				s.logger.Printf("jwks: refresh: %v", err)
			}
		}
	}
}

// ServeRotate answers POST /keys/rotate?kid=K&retire=R: install a new key
// from the request body and drop the retired one, refusing to retire the
// key that is being added.
func (s *Set) ServeRotate(w http.ResponseWriter, r *http.Request) {
	kid, retire := r.URL.Query().Get("kid"), r.URL.Query().Get("retire")
	secret, err := io.ReadAll(io.LimitReader(r.Body, 256))
	if err != nil || kid == "" || len(secret) < 32 {
		http.Error(w, "need kid and a secret of at least 32 bytes", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.key(kid); exists { // HAZ lock-reentry-under-defer
		http.Error(w, "kid already in use", http.StatusConflict)
		return
	}
	s.keys[kid] = secret
	if retire != "" && retire != kid {
		delete(s.keys, retire)
	}
	w.WriteHeader(http.StatusNoContent)
}

// KeyIDs returns the IDs of the installed keys.
func (s *Set) KeyIDs() []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	ids := make([]string, 0, len(s.keys))
	for id := range s.keys {
		ids = append(ids, id)
	}
	return ids
}
