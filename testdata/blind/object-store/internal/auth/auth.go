// Package auth implements the node's request signing scheme and the HTTP
// middleware that enforces it.
//
// A signed request carries
//
//	Date: <RFC 1123 time>
//	Authorization: OBJ1 <key id>:<hex HMAC-SHA256(secret, method "\n" escaped path "\n" date)>
package auth

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Authentication errors.
var (
	ErrMissing      = errors.New("auth: missing Authorization header")
	ErrMalformed    = errors.New("auth: malformed Authorization header")
	ErrUnknownKey   = errors.New("auth: unknown key id")
	ErrRevoked      = errors.New("auth: key revoked")
	ErrExpired      = errors.New("auth: request date outside the allowed skew")
	ErrBadSignature = errors.New("auth: signature mismatch")
)

const scheme = "OBJ1 "

// Verifier checks signed requests against a set of shared secrets.
type Verifier struct {
	mu      sync.RWMutex
	keys    map[string][]byte
	revoked map[string]bool
	skew    time.Duration
	now     func() time.Time
}

// NewVerifier returns a verifier that accepts requests dated within skew of
// the local clock.
func NewVerifier(skew time.Duration) *Verifier {
	return &Verifier{
		keys:    make(map[string][]byte),
		revoked: make(map[string]bool),
		skew:    skew,
		now:     time.Now,
	}
}

// AddKey registers (or replaces) a secret.
func (v *Verifier) AddKey(id string, secret []byte) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.keys[id] = append([]byte(nil), secret...)
	delete(v.revoked, id)
}

// Revoke rejects every further request signed with id.
func (v *Verifier) Revoke(id string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.revoked[id] = true
}

func (v *Verifier) secret(id string) ([]byte, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	s, ok := v.keys[id]
	return s, ok
}

// Verify authenticates r and returns the key id that signed it.
func (v *Verifier) Verify(r *http.Request) (string, error) {
	keyID, sig, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		return "", fmt.Errorf("%w: bad Date header", ErrMalformed)
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.revoked[keyID] {
		return "", ErrRevoked
	}
	if d := v.now().Sub(date); d > v.skew || d < -v.skew {
		return "", ErrExpired
	}
	secret, ok := v.secret(keyID) // HAZ lock-reentry-under-defer
	if !ok {
		return "", ErrUnknownKey
	}
	want := Sign(secret, r.Method, r.URL.EscapedPath(), r.Header.Get("Date"))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return "", ErrBadSignature
	}
	return keyID, nil
}

// Allowed reports whether r carries a valid signature. The public read
// path uses it to decide between the full and the anonymous view, so it
// never fails loudly.
func (v *Verifier) Allowed(r *http.Request) (ok bool) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	_, err := v.Verify(r)
	return err == nil
}

type ctxKey struct{}

// KeyID returns the key id that authenticated the request of ctx.
func KeyID(ctx context.Context) (string, bool) {
	id, ok := ctx.Value(ctxKey{}).(string)
	return id, ok
}

// Middleware rejects unsigned requests; /healthz stays open for probes.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		keyID, err := v.Verify(r)
		if err != nil {
			code := http.StatusForbidden
			if errors.Is(err, ErrMissing) {
				code = http.StatusUnauthorized
				w.Header().Set("WWW-Authenticate", `OBJ1 realm="objstore"`)
			}
			http.Error(w, err.Error(), code)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, keyID)))
	})
}

// Sign computes the signature of a request.
func Sign(secret []byte, method, escapedPath, date string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(method + "\n" + escapedPath + "\n" + date))
	return hex.EncodeToString(m.Sum(nil))
}

// SignRequest adds the Date and Authorization headers to req.
func SignRequest(req *http.Request, keyID string, secret []byte, now time.Time) {
	date := now.UTC().Format(http.TimeFormat)
	req.Header.Set("Date", date)
	sig := Sign(secret, req.Method, req.URL.EscapedPath(), date)
	req.Header.Set("Authorization", scheme+keyID+":"+sig)
}

func parseAuthorization(h string) (keyID, sig string, err error) {
	if h == "" {
		return "", "", ErrMissing
	}
	rest, ok := strings.CutPrefix(h, scheme)
	if !ok {
		return "", "", ErrMalformed
	}
	keyID, sig, ok = strings.Cut(rest, ":")
	if !ok || keyID == "" || len(sig) != 64 {
		return "", "", ErrMalformed
	}
	return keyID, sig, nil
}

// LoadKeys reads "id secret" lines; blank lines and # comments are skipped.
func LoadKeys(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	keys := make(map[string][]byte)
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		id, secret, ok := strings.Cut(text, " ")
		if !ok || strings.TrimSpace(secret) == "" {
			return nil, fmt.Errorf("auth: %s:%d: want \"id secret\"", path, line)
		}
		keys[id] = []byte(strings.TrimSpace(secret))
	}
	return keys, sc.Err()
}
