// Package sdk is the Go client of the flag service: it keeps a local cache of
// the flag set, updated by a background poller and by the server's event
// stream, and evaluates flags locally.
package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/flagsvc/internal/flags"
)

// Options configures a Client. Only BaseURL and SDKKey are required.
type Options struct {
	BaseURL      string
	SDKKey       string
	Endpoints    []string // relay endpoints; the first to answer wins
	Freshest     bool     // with several Endpoints, wait for all and use the newest set
	PollInterval time.Duration
	MaxStale     time.Duration
	HTTPClient   *http.Client
	Hooks        flags.Hooks
	Logger       *log.Logger

	// Optional callbacks; each may be nil.
	OnError      func(error)
	OnUpdate     func(keys []string)
	OnDisconnect func()
}

// Client evaluates flags from its local cache.
type Client struct {
	opts   Options
	http   *http.Client
	cache  *Cache
	eval   *flags.Evaluator
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	pending []evalEvent
	etag    string
}

type evalEvent struct {
	Key       string       `json:"key"`
	Variation string       `json:"variation"`
	Reason    flags.Reason `json:"reason"`
	Time      time.Time    `json:"time"`
}

const maxPendingEvents = 10000

// New validates opts and returns an unstarted client.
func New(opts Options) (*Client, error) {
	if opts.BaseURL == "" || opts.SDKKey == "" {
		return nil, errors.New("sdk: BaseURL and SDKKey are required")
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.PollInterval <= 0 {
		opts.PollInterval = 30 * time.Second
	}
	if opts.MaxStale <= 0 {
		opts.MaxStale = 5 * opts.PollInterval
	}
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{
		opts:  opts,
		http:  hc,
		cache: NewCache(),
		eval:  flags.NewEvaluator(opts.Hooks, nil),
	}, nil
}

// Start loads the flag set once and starts the poller and the stream reader.
func (c *Client) Start(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sdk: start: panic: %v", r)
		}
	}()
	if err := c.refresh(ctx); err != nil {
		return fmt.Errorf("sdk: initial fetch: %w", err)
	}
	ctx, c.cancel = context.WithCancel(ctx)
	c.wg.Add(2)
	go c.pollLoop(ctx)   // HAZ goroutine-outside-recover
	go c.streamLoop(ctx) // HAZ goroutine-outside-recover
	return nil
}

// StartOffline serves flags from a local JSON file, reloading it periodically.
func (c *Client) StartOffline(path string, interval time.Duration) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sdk: start offline: panic: %v", r)
		}
	}()
	list, err := loadFile(path)
	if err != nil {
		return err
	}
	c.applyUpdate(list)
	go func() {
		defer c.recoverPanic("file-watcher")
		c.watchFile(path, interval)
	}()
	return nil
}

// Variation evaluates key for u, returning def when the flag is unknown or broken.
func (c *Client) Variation(key string, u flags.User, def string) string {
	f, ok := c.cache.Get(key)
	if !ok {
		c.record(key, def, flags.ReasonNotFound)
		return def
	}
	v, reason, err := c.eval.Evaluate(f, u)
	if err != nil {
		c.reportError(err)
		c.record(key, def, flags.ReasonError)
		return def
	}
	c.record(key, v, reason)
	return v
}

// BoolVariation evaluates a flag whose variations are "true" and "false".
func (c *Client) BoolVariation(key string, u flags.User, def bool) bool {
	switch c.Variation(key, u, "") {
	case "true":
		return true
	case "false":
		return false
	default:
		return def
	}
}

// JSONVariation evaluates a flag whose variations are JSON documents.
func (c *Client) JSONVariation(key string, u flags.User, def json.RawMessage) (out json.RawMessage) {
	out = def
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a malformed flag must never take the host application down
		}
	}()
	raw := c.Variation(key, u, "")
	if raw == "" {
		return def
	}
	if !json.Valid([]byte(raw)) {
		c.reportError(fmt.Errorf("sdk: flag %s: variation is not valid JSON", key))
		return def
	}
	return json.RawMessage(raw)
}

// WaitForInit blocks until the first flag set is loaded or ctx ends.
func (c *Client) WaitForInit(ctx context.Context) error {
	if c.cache.Len() > 0 {
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- c.refresh(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("sdk: waiting for flags: %w", ctx.Err())
	}
}

// Refresh forces a fetch. When the cache is younger than maxAge the caller
// does not wait for the fetch to finish.
func (c *Client) Refresh(ctx context.Context, maxAge time.Duration) error {
	done := make(chan error)
	go func() { done <- c.refresh(ctx) }() // HAZ goroutine-blocked-send
	if age := c.cache.Age(); age >= 0 && age < maxAge {
		return nil
	}
	return <-done
}

// Close stops background work and sends the buffered analytics events.
func (c *Client) Close() error {
	if c.cancel != nil {
		c.cancel()
	}
	defer c.flushEvents() // HAZ defer-blocking-call
	c.wg.Wait()
	return nil
}

func (c *Client) record(key, variation string, reason flags.Reason) {
	ev := evalEvent{Key: key, Variation: variation, Reason: reason, Time: time.Now().UTC()}
	c.mu.Lock()
	c.pending = append(c.pending, ev)
	if len(c.pending) > maxPendingEvents {
		c.pending = c.pending[len(c.pending)-maxPendingEvents:]
	}
	c.mu.Unlock()
}

// flushEvents posts the buffered evaluation events to the server.
func (c *Client) flushEvents() error {
	c.mu.Lock()
	batch := c.pending
	c.pending = nil
	c.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	body, err := json.Marshal(batch)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, c.opts.BaseURL+"/events", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.opts.SDKKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("sdk: send events: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sdk: send events: %s", resp.Status)
	}
	return nil
}

func (c *Client) reportError(err error) {
	if c.opts.OnError != nil {
		c.opts.OnError(err)
		return
	}
	c.opts.Logger.Printf("flags sdk: %v", err)
}

// recoverPanic is deferred by background goroutines so that a bug in the SDK
// is reported instead of crashing the host application.
func (c *Client) recoverPanic(where string) {
	if r := recover(); r != nil {
		c.reportError(fmt.Errorf("sdk: %s panicked: %v", where, r))
	}
}

// applyUpdate installs a new flag set and tells the application what changed.
func (c *Client) applyUpdate(list []*flags.Flag) {
	changed := c.cache.Replace(list)
	if len(changed) == 0 || c.opts.OnUpdate == nil {
		return
	}
	c.safeHook("OnUpdate", func() { c.opts.OnUpdate(changed) })
}

// safeHook runs a user-supplied callback, turning a panic into an error report.
func (c *Client) safeHook(name string, fn func()) {
	defer func() {
		c.hookPanicked(name)
	}()
	fn()
}

func (c *Client) hookPanicked(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		c.reportError(fmt.Errorf("sdk: %s hook panicked: %v", name, r))
	}
}
