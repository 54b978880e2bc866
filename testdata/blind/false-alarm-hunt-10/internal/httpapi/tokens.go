package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

const maxTokens = 10000

type tokenInfo struct {
	subject string
	expires time.Time
}

// TokenStore holds bearer tokens in memory.
type TokenStore struct {
	mu     sync.RWMutex
	tokens map[string]tokenInfo
}

// NewTokenStore returns an empty store.
func NewTokenStore() *TokenStore {
	return &TokenStore{tokens: make(map[string]tokenInfo)}
}

// Issue creates a token for subject valid for ttl.
func (t *TokenStore) Issue(subject string, ttl time.Duration) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.tokens) >= maxTokens {
		t.Sweep(time.Now()) // HAZ lock-reentry-under-defer
	}
	t.tokens[tok] = tokenInfo{subject: subject, expires: time.Now().Add(ttl)}
	return tok, nil
}

// Lookup returns the subject of a valid token.
func (t *TokenStore) Lookup(tok string) (string, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	info, ok := t.tokens[tok]
	if !ok || time.Now().After(info.expires) {
		return "", false
	}
	return info.subject, true
}

// Valid reports whether tok exists and has not expired.
func (t *TokenStore) Valid(tok string) bool {
	t.mu.RLock()
	defer t.mu.Unlock() // HAZ defer-lock-mismatch
	info, ok := t.tokens[tok]
	return ok && time.Now().Before(info.expires)
}

// Revoke deletes tok.
func (t *TokenStore) Revoke(tok string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.tokens, tok)
}

// Sweep deletes expired tokens and returns how many were removed.
func (t *TokenStore) Sweep(now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for tok, info := range t.tokens {
		if now.After(info.expires) {
			delete(t.tokens, tok)
			n++
		}
	}
	return n
}

// Refresh extends tok by ttl if it is still valid.
func (t *TokenStore) Refresh(tok string, ttl time.Duration) bool {
	t.mu.RLock()
	info, ok := t.tokens[tok]
	t.mu.RUnlock()
	if !ok || time.Now().After(info.expires) {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, still := t.tokens[tok]; !still {
		return false
	}
	info.expires = time.Now().Add(ttl)
	t.tokens[tok] = info
	return true
}

// Rotate replaces old by a new token for the same subject, valid for ttl.
func (t *TokenStore) Rotate(old string, ttl time.Duration) (string, bool) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", false
	}
	tok := hex.EncodeToString(b[:])
	t.mu.Lock() // HAZ lock-leaked-on-return
	info, ok := t.tokens[old]
	if ok && time.Now().Before(info.expires) {
		delete(t.tokens, old)
		t.tokens[tok] = tokenInfo{subject: info.subject, expires: time.Now().Add(ttl)}
		t.mu.Unlock()
		return tok, true
	}
	return "", false
}

// withTokens calls fn with the token map under the read lock.
func (t *TokenStore) withTokens(fn func(map[string]tokenInfo)) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	fn(t.tokens)
}

// Subjects returns the distinct subjects holding a token.
func (t *TokenStore) Subjects() []string {
	seen := map[string]bool{}
	var out []string
	t.withTokens(func(m map[string]tokenInfo) {
		for _, info := range m {
			if !seen[info.subject] {
				seen[info.subject] = true
				out = append(out, info.subject)
			}
		}
	})
	return out
}
