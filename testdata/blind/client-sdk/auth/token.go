// Package auth implements OAuth-like token sources with background refresh.
package auth

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Token is a bearer credential with an expiry.
type Token struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type,omitempty"`
	Expiry      time.Time `json:"expiry"`
}

// expiryDelta is subtracted from Expiry when deciding validity.
const expiryDelta = 10 * time.Second

// Valid reports whether t is non-nil, non-empty and not about to expire.
func (t *Token) Valid() bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || time.Now().Add(expiryDelta).Before(t.Expiry))
}

// SaveTo writes t atomically to path. A nil token or empty path is a no-op.
func (t *Token) SaveTo(path string) (err error) {
	if t == nil || path == "" {
		return nil
	}
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".token-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name()) // ok: only on failure, file already closed
		}
	}()
	if _, err = f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// LoadToken reads a token written by SaveTo.
func LoadToken(path string) (*Token, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	var t Token
	if err := json.NewDecoder(f).Decode(&t); err != nil {
		return nil, err
	}
	return &t, nil
}

// FetchFunc obtains a fresh token from the authorization server.
type FetchFunc func(ctx context.Context) (*Token, error)

// RefreshingSource caches a token and refreshes it before expiry.
type RefreshingSource struct {
	mu    sync.Mutex
	tok   *Token
	fetch FetchFunc
	path  string

	every time.Duration
	stop  chan struct{}
	done  chan struct{}

	// OnRefresh may be nil.
	OnRefresh func(tok *Token, err error)
}

// NewRefreshingSource returns a source that persists tokens to path if non-empty.
func NewRefreshingSource(fetch FetchFunc, path string, every time.Duration) *RefreshingSource {
	return &RefreshingSource{fetch: fetch, path: path, every: every}
}

// refreshLocked must be called with s.mu held.
func (s *RefreshingSource) refreshLocked(ctx context.Context) (*Token, error) {
	tok, err := s.fetch(ctx)
	if s.OnRefresh != nil {
		s.OnRefresh(tok, err)
	}
	if err != nil {
		return nil, err
	}
	s.tok = tok
	return tok, nil
}

// Token returns a valid token, refreshing it if needed.
func (s *RefreshingSource) Token(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock() // ok: refreshLocked does not lock
	if s.tok.Valid() {
		return s.tok, nil
	}
	return s.refreshLocked(ctx)
}

// Current returns the cached token without refreshing.
func (s *RefreshingSource) Current() *Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}

// Invalidate drops the cached token.
func (s *RefreshingSource) Invalidate() {
	s.mu.Lock()
	s.tok = nil
	s.mu.Unlock()
}

// ForceRefresh discards the cached token and fetches a new one.
func (s *RefreshingSource) ForceRefresh(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Invalidate() // HAZ lock-reentry-under-defer
	return s.refreshLocked(ctx)
}

// Refresh fetches a new token and persists it.
func (s *RefreshingSource) Refresh(ctx context.Context) error {
	defer s.Current().SaveTo(s.path) // HAZ defer-call-chain
	tok, err := s.fetch(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.tok = tok
	s.mu.Unlock()
	return nil
}

// RefreshAndSave fetches a new token and persists the new one.
func (s *RefreshingSource) RefreshAndSave(ctx context.Context) error {
	tok, err := s.fetch(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.tok = tok
	s.mu.Unlock()
	return tok.SaveTo(s.path)
}

// Start launches the background refresher. Stop must be called to end it.
func (s *RefreshingSource) Start() {
	s.stop = make(chan struct{})
	s.done = make(chan struct{})
	go s.loop(s.stop, s.done)
}

func (s *RefreshingSource) loop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done) // ok: only this goroutine uses done
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), s.every/2)
			_ = s.RefreshAndSave(ctx)
			cancel()
		}
	}
}

// Stop ends the background refresher and waits for it.
func (s *RefreshingSource) Stop() {
	if s.stop == nil {
		return
	}
	close(s.stop)
	<-s.done
}

type fetchResult struct {
	tok *Token
	err error
}

// FetchDetached runs the fetch in its own goroutine so that a cancelled caller
// does not abort a refresh other callers are waiting on.
func (s *RefreshingSource) FetchDetached(ctx context.Context) (*Token, error) {
	ch := make(chan fetchResult)
	go func() { // HAZ goroutine-blocked-send
		tok, err := s.fetch(context.Background())
		ch <- fetchResult{tok, err}
	}()
	select {
	case r := <-ch:
		return r.tok, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FetchBounded is FetchDetached with a buffered result channel.
func (s *RefreshingSource) FetchBounded(ctx context.Context, limit time.Duration) (*Token, error) {
	ch := make(chan fetchResult, 1) // ok: sender never blocks
	go func() {
		fctx, cancel := context.WithTimeout(context.Background(), limit)
		defer cancel()
		tok, err := s.fetch(fctx)
		ch <- fetchResult{tok, err}
	}()
	select {
	case r := <-ch:
		return r.tok, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ErrNoToken is returned by StaticSource when it is empty.
var ErrNoToken = errors.New("auth: no token")

// StaticSource always returns the same token.
type StaticSource struct{ T *Token }

// Token implements the token source contract.
func (s StaticSource) Token(context.Context) (*Token, error) {
	if s.T == nil {
		return nil, ErrNoToken
	}
	return s.T, nil
}
