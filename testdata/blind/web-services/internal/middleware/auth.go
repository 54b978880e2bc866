package middleware

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"sync"
)

// Principal is the authenticated caller.
type Principal struct {
	Subject string
	Scopes  []string
}

type principalKey struct{}

// WithPrincipal stores p in ctx.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal stored by RequireToken.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// ErrUnknownToken is returned when a token is not in the store.
var ErrUnknownToken = errors.New("unknown token")

// TokenStore maps bearer tokens to principals.
type TokenStore struct {
	mu     sync.RWMutex
	tokens map[string]Principal
}

// NewTokenStore returns an empty store.
func NewTokenStore() *TokenStore {
	return &TokenStore{tokens: make(map[string]Principal)}
}

// Lookup returns the principal for tok.
func (s *TokenStore) Lookup(tok string) (Principal, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock() // ok: matching pair, no re-entry
	p, ok := s.tokens[tok]
	return p, ok
}

// Add registers tok for p.
func (s *TokenStore) Add(tok string, p Principal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = p
}

// Revoke removes tok and reports whether it existed.
func (s *TokenStore) Revoke(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[tok]; !ok {
		return false
	}
	delete(s.tokens, tok)
	return true
}

// Count reports how many tokens are registered.
func (s *TokenStore) Count() int {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	return len(s.tokens)
}

// Rotate replaces old with next for the same principal.
func (s *TokenStore) Rotate(old, next string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.Lookup(old) // HAZ lock-reentry-under-defer
	if !ok {
		return ErrUnknownToken
	}
	delete(s.tokens, old)
	s.tokens[next] = p
	return nil
}

// lookupLocked requires s.mu to be held.
func (s *TokenStore) lookupLocked(tok string) (Principal, bool) {
	p, ok := s.tokens[tok]
	return p, ok
}

// Replace is Rotate done right: the helper assumes the lock is held.
func (s *TokenStore) Replace(old, next string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupLocked(old) // ok: does not lock
	if !ok {
		return ErrUnknownToken
	}
	delete(s.tokens, old)
	s.tokens[next] = p
	return nil
}

// RequireToken rejects requests without a known bearer token.
func RequireToken(store *TokenStore) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tok, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !found || tok == "" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
				http.Error(w, "missing token", http.StatusUnauthorized)
				return
			}
			p, ok := store.Lookup(tok)
			if !ok {
				http.Error(w, "invalid token", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
		})
	}
}

// RequireAdminKey guards admin endpoints with a static key.
func RequireAdminKey(key string) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got := r.Header.Get("X-Admin-Key")
			if subtle.ConstantTimeCompare([]byte(got), []byte(key)) != 1 {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
