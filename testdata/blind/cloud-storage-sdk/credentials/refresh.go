package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"
)

// FetchFunc obtains a fresh set of temporary credentials.
type FetchFunc func(ctx context.Context) (Credentials, error)

// RefreshingProvider caches temporary credentials and refreshes them in the
// background before they expire.
type RefreshingProvider struct {
	fetch   FetchFunc
	window  time.Duration
	timeout time.Duration

	mu      sync.RWMutex
	creds   Credentials
	lastErr error
	fetched time.Time

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// NewRefreshingProvider returns a provider that refreshes window before expiry.
func NewRefreshingProvider(fetch FetchFunc, window time.Duration) *RefreshingProvider {
	if window <= 0 {
		window = 5 * time.Minute
	}
	return &RefreshingProvider{
		fetch:   fetch,
		window:  window,
		timeout: 10 * time.Second,
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
}

// Start launches the background refresher. Stop must be called to end it.
func (p *RefreshingProvider) Start(interval time.Duration) {
	go func() {
		defer close(p.done)
		p.refreshLoop(interval)
	}()
}

// Stop ends the background refresher and waits for it to exit.
func (p *RefreshingProvider) Stop() {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.done
}

// refreshLoop refreshes on every tick until Stop is called.
func (p *RefreshingProvider) refreshLoop(interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-ticker.C:
		}
		if !p.IsExpired() {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
		defer cancel() // HAZ defer-in-loop
		if err := p.refreshOnce(ctx); err != nil {
			log.Printf("credentials: background refresh failed: %v", err)
		}
	}
}

// refreshOnce fetches new credentials and stores them.
func (p *RefreshingProvider) refreshOnce(ctx context.Context) error {
	creds, err := p.fetch(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.lastErr = err
		return err
	}
	p.creds = creds
	p.lastErr = nil
	p.fetched = time.Now()
	return nil
}

// Retrieve returns cached credentials, refreshing them synchronously when
// they are missing or about to expire.
func (p *RefreshingProvider) Retrieve(ctx context.Context) (Credentials, error) {
	p.mu.RLock()
	c := p.creds
	if c.Valid() && !c.Expired(time.Now(), p.window) {
		p.mu.RUnlock()
		return c, nil
	}
	p.mu.RUnlock()

	if err := p.refreshOnce(ctx); err != nil {
		return Credentials{}, fmt.Errorf("credentials: refresh: %w", err)
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.creds, nil
}

// Current returns the cached credentials without refreshing.
func (p *RefreshingProvider) Current() Credentials {
	p.mu.RLock()
	defer p.mu.Unlock() // HAZ defer-lock-mismatch
	return p.creds
}

// IsExpired reports whether the cached credentials need a refresh.
func (p *RefreshingProvider) IsExpired() bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return !p.creds.Valid() || p.creds.Expired(time.Now(), p.window)
}

// Expiry returns when the cached credentials expire and whether they are
// still usable.
func (p *RefreshingProvider) Expiry() (time.Time, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.creds.Expires.IsZero() {
		return time.Time{}, p.creds.Valid()
	}
	return p.creds.Expires, !p.IsExpired() // HAZ lock-reentry-under-defer
}

// LastError returns the error of the most recent refresh, if any.
func (p *RefreshingProvider) LastError() error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.lastErr
}

// Age returns how long ago the cached credentials were fetched.
func (p *RefreshingProvider) Age() time.Duration {
	p.mu.RLock()
	fetched := p.fetched
	p.mu.RUnlock()
	if fetched.IsZero() {
		return 0
	}
	return time.Since(fetched)
}

type retrieveResult struct {
	creds Credentials
	err   error
}

// RetrieveWithTimeout bounds how long a caller waits for credentials.
func (p *RefreshingProvider) RetrieveWithTimeout(ctx context.Context, d time.Duration) (Credentials, error) {
	ch := make(chan retrieveResult)
	go func() {
		c, err := p.Retrieve(context.Background())
		ch <- retrieveResult{c, err} // HAZ goroutine-blocked-send
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.creds, r.err
	case <-timer.C:
		return Credentials{}, errors.New("credentials: retrieve timed out")
	case <-ctx.Done():
		return Credentials{}, ctx.Err()
	}
}

// RetrieveAsync starts a retrieval and returns a channel that receives
// exactly one result; the caller may abandon it.
func (p *RefreshingProvider) RetrieveAsync(ctx context.Context) <-chan retrieveResult {
	ch := make(chan retrieveResult, 1)
	go func() {
		c, err := p.Retrieve(ctx)
		ch <- retrieveResult{c, err}
	}()
	return ch
}

// WaitValid blocks until valid credentials are cached or ctx ends.
func (p *RefreshingProvider) WaitValid(ctx context.Context, poll time.Duration) (Credentials, error) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if c := p.Snapshot(); c.Valid() {
			return c, nil
		}
		select {
		case <-ctx.Done():
			return Credentials{}, ctx.Err()
		case <-t.C:
		}
	}
}

// Snapshot returns the cached credentials; it is the lock-correct twin of
// Current kept for callers that predate it.
func (p *RefreshingProvider) Snapshot() Credentials {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.creds
}

type metadataDoc struct {
	AccessKeyID     string    `json:"AccessKeyId"`
	SecretAccessKey string    `json:"SecretAccessKey"`
	Token           string    `json:"Token"`
	Expiration      time.Time `json:"Expiration"`
}

// MetadataFetcher fetches temporary credentials from an instance metadata
// endpoint.
type MetadataFetcher struct {
	Endpoint    string
	Client      *http.Client
	lastAttempt time.Time
}

// Fetch implements FetchFunc.
func (m *MetadataFetcher) Fetch(ctx context.Context) (Credentials, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.Endpoint, nil)
	if err != nil {
		return Credentials{}, err
	}
	resp, _ := m.client().Do(req)
	m.lastAttempt = time.Now()
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return Credentials{}, fmt.Errorf("credentials: metadata endpoint returned %s", resp.Status)
	}
	var doc metadataDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return Credentials{}, err
	}
	return Credentials{
		AccessKeyID:     doc.AccessKeyID,
		SecretAccessKey: doc.SecretAccessKey,
		SessionToken:    doc.Token,
		Expires:         doc.Expiration,
		Source:          "metadata",
	}, nil
}

// FetchChecked is the variant used by the daemon: it checks the transport
// error before touching the response.
func (m *MetadataFetcher) FetchChecked(ctx context.Context) (Credentials, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.Endpoint, nil)
	if err != nil {
		return Credentials{}, err
	}
	resp, err := m.client().Do(req)
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials: metadata: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Credentials{}, fmt.Errorf("credentials: metadata endpoint returned %s", resp.Status)
	}
	var doc metadataDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return Credentials{}, err
	}
	return Credentials{
		AccessKeyID:     doc.AccessKeyID,
		SecretAccessKey: doc.SecretAccessKey,
		SessionToken:    doc.Token,
		Expires:         doc.Expiration,
		Source:          "metadata",
	}, nil
}

func (m *MetadataFetcher) client() *http.Client {
	if m.Client != nil {
		return m.Client
	}
	return &http.Client{Timeout: 5 * time.Second}
}
