// Package client is the high-level SDK client for the object API.
package client

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/sdk/auth"
	"example.com/sdk/backoff"
	"example.com/sdk/telemetry"
)

// TokenSource supplies bearer tokens.
type TokenSource interface {
	Token(ctx context.Context) (*auth.Token, error)
}

// Options configures a Client. Func fields are optional hooks and may be nil.
type Options struct {
	BaseURL    string
	HTTPClient *http.Client
	Retries    int
	Policy     backoff.Policy
	Tracer     *telemetry.Tracer
	Tokens     TokenSource
	Limiter    *Limiter
	PageDelay  time.Duration
	Compress   bool
	Logger     *log.Logger

	OnRequest  func(*http.Request)
	OnResponse func(*http.Response, error)
}

// Option mutates Options.
type Option func(*Options)

func defaultOptions() Options {
	return Options{
		BaseURL: "http://127.0.0.1:8080",
		Retries: 3,
		Policy:  backoff.Default,
		Logger:  log.New(os.Stderr, "sdk: ", log.LstdFlags),
	}
}

// WithBaseURL sets the service endpoint.
func WithBaseURL(u string) Option { return func(o *Options) { o.BaseURL = u } }

// WithHTTPClient sets the underlying HTTP client.
func WithHTTPClient(hc *http.Client) Option { return func(o *Options) { o.HTTPClient = hc } }

// WithRetries sets the maximum number of retries.
func WithRetries(n int) Option { return func(o *Options) { o.Retries = n } }

// WithTracer enables tracing.
func WithTracer(t *telemetry.Tracer) Option { return func(o *Options) { o.Tracer = t } }

// WithTokens sets the credential source.
func WithTokens(ts TokenSource) Option { return func(o *Options) { o.Tokens = ts } }

// WithLimiter bounds concurrent downloads.
func WithLimiter(l *Limiter) Option { return func(o *Options) { o.Limiter = l } }

// WithPageDelay sets a pause between list pages.
func WithPageDelay(d time.Duration) Option { return func(o *Options) { o.PageDelay = d } }

// WithCompression gzips request bodies.
func WithCompression() Option { return func(o *Options) { o.Compress = true } }

// WithHooks installs request and response hooks; either may be nil.
func WithHooks(onReq func(*http.Request), onResp func(*http.Response, error)) Option {
	return func(o *Options) {
		o.OnRequest = onReq
		o.OnResponse = onResp
	}
}

// CallOptions tunes a single call.
type CallOptions struct {
	Header http.Header
	// OnComplete may be nil. It runs when the call returns.
	OnComplete func()
}

// Limiter is a counting semaphore.
type Limiter struct{ slots chan struct{} }

// NewLimiter allows n concurrent holders.
func NewLimiter(n int) *Limiter { return &Limiter{slots: make(chan struct{}, n)} }

// Acquire blocks for a slot and returns its release function.
func (l *Limiter) Acquire() func() {
	l.slots <- struct{}{}
	return func() { <-l.slots }
}

// AcquireContext is Acquire bounded by ctx.
func (l *Limiter) AcquireContext(ctx context.Context) (func(), error) {
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FileConfig is the on-disk client configuration.
type FileConfig struct {
	BaseURL string `json:"base_url"`
	Retries int    `json:"retries"`
	Token   string `json:"token"`
}

// LoadConfig reads a JSON config file.
func LoadConfig(path string) (FileConfig, error) {
	var cfg FileConfig
	f, err := os.Open(path)
	if err != nil {
		return cfg, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&cfg)
	return cfg, err
}

// MustLoadConfig is LoadConfig for example programs; it exits on error.
func MustLoadConfig(path string) FileConfig {
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("sdk: open config: %v", err) // ok: nothing deferred yet
	}
	defer f.Close()
	var cfg FileConfig
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		log.Fatalf("sdk: parse config %s: %v", path, err) // HAZ exit-skips-defer
	}
	return cfg
}

// Options returns the options derived from the config file.
func (fc FileConfig) Options() []Option {
	opts := []Option{WithBaseURL(fc.BaseURL), WithRetries(fc.Retries)}
	if fc.Token != "" {
		opts = append(opts, WithTokens(auth.StaticSource{T: &auth.Token{AccessToken: fc.Token}}))
	}
	return opts
}
