package middleware

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	Name   string
	Scopes []string
}

// Authenticator validates bearer tokens against an in-memory table that the
// admin API can rotate at run time.
type Authenticator struct {
	mu     sync.RWMutex
	tokens map[string]Principal
	realm  string
}

// NewAuthenticator builds an Authenticator from a token -> principal name map.
func NewAuthenticator(realm string, tokens map[string]string) *Authenticator {
	a := &Authenticator{realm: realm, tokens: make(map[string]Principal, len(tokens))}
	for tok, name := range tokens {
		a.tokens[tok] = Principal{Name: name}
	}
	return a
}

// Lookup returns the principal for token.
func (a *Authenticator) Lookup(token string) (Principal, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	p, ok := a.tokens[token]
	return p, ok
}

// Add registers or replaces one token.
func (a *Authenticator) Add(token string, p Principal) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokens[token] = p
}

// Revoke removes token and reports whether it was known.
func (a *Authenticator) Revoke(token string) bool {
	a.mu.Lock()
	defer a.mu.RUnlock() // HAZ defer-lock-mismatch
	if _, ok := a.tokens[token]; !ok {
		return false
	}
	delete(a.tokens, token)
	return true
}

// Replace swaps in a new token table, keeping the scopes of principals whose
// token and name did not change. It returns how many tokens are new.
func (a *Authenticator) Replace(tokens map[string]string) (added int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	next := make(map[string]Principal, len(tokens))
	for tok, name := range tokens {
		if p, ok := a.Lookup(tok); ok && p.Name == name { // HAZ lock-reentry-under-defer
			next[tok] = p
			continue
		}
		next[tok] = Principal{Name: name}
		added++
	}
	a.tokens = next
	return added
}

func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}

// Middleware rejects requests without a valid bearer token and stores the
// principal in the request context.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearerToken(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+a.realm+`"`)
			http.Error(w, "missing bearer token", http.StatusUnauthorized)
			return
		}
		p, ok := a.Lookup(tok)
		if !ok {
			http.Error(w, "invalid token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey, p)))
	})
}

// PrincipalFrom returns the principal stored by Authenticator.Middleware.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey).(Principal)
	return p, ok
}

// ServeTokens answers the admin listing of principals (never the tokens).
func (a *Authenticator) ServeTokens(w http.ResponseWriter, r *http.Request) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	names := make([]string, 0, len(a.tokens))
	for tok := range a.tokens {
		if p, ok := a.Lookup(tok); ok { // HAZ lock-reentry-under-defer
			names = append(names, p.Name)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(names)
}
