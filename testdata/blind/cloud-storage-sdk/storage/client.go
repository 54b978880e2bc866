// Package storage is a client for an S3-style object storage HTTP API.
package storage

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/cloudstoragesdk/credentials"
)

// ErrClosed is returned by operations on a closed client.
var ErrClosed = errors.New("storage: client closed")

// Config configures a Client.
type Config struct {
	Endpoint    string
	Region      string
	Bucket      string
	Credentials credentials.Provider
	HTTPClient  *http.Client
	MaxRetries  int
	UserAgent   string
}

// Client talks to one bucket of an object store.
type Client struct {
	cfg     Config
	base    *url.URL
	http    *http.Client
	creds   credentials.Provider
	metrics *Metrics
	backoff *Backoff

	mu       sync.Mutex
	closed   bool
	inflight int
	idle     *sync.Cond
}

// NewClient validates cfg and returns a ready client.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("storage: bucket is required")
	}
	base, err := url.Parse(cfg.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("storage: bad endpoint %q: %w", cfg.Endpoint, err)
	}
	if base.Scheme != "http" && base.Scheme != "https" {
		return nil, fmt.Errorf("storage: endpoint scheme must be http or https, got %q", base.Scheme)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 4
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "cloudstore-go/1.4"
	}
	c := &Client{
		cfg:     cfg,
		base:    base,
		http:    hc,
		creds:   cfg.Credentials,
		metrics: NewMetrics(),
		backoff: NewBackoff(100*time.Millisecond, 5*time.Second),
	}
	c.idle = sync.NewCond(&c.mu)
	return c, nil
}

// Bucket returns the bucket this client is bound to.
func (c *Client) Bucket() string { return c.cfg.Bucket }

// Endpoint returns the parsed service endpoint.
func (c *Client) Endpoint() *url.URL {
	u := *c.base
	return &u
}

// Credentials returns the provider used to sign requests.
func (c *Client) Credentials() credentials.Provider { return c.creds }

// HTTPClient returns the underlying HTTP client.
func (c *Client) HTTPClient() *http.Client { return c.http }

// Metrics returns the client's request metrics.
func (c *Client) Metrics() *Metrics { return c.metrics }

// ObjectURL returns the URL of key with the query q.
func (c *Client) ObjectURL(key string, q url.Values) string {
	u := *c.base
	u.Path = "/" + c.cfg.Bucket + "/" + strings.TrimLeft(key, "/")
	u.RawQuery = q.Encode()
	return u.String()
}

// NewRequest builds an unsigned request for key.
func (c *Client) NewRequest(ctx context.Context, method, key string, q url.Values, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.ObjectURL(key, q), rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	sum := sha256.Sum256(body)
	req.Header.Set("X-Content-Sha256", hex.EncodeToString(sum[:]))
	if body != nil {
		req.ContentLength = int64(len(body))
	}
	return req, nil
}

// sign adds the authorization headers to req.
func (c *Client) sign(req *http.Request) error {
	if c.creds == nil {
		return nil
	}
	creds, err := c.creds.Retrieve(req.Context())
	if err != nil {
		return fmt.Errorf("storage: credentials: %w", err)
	}
	date := time.Now().UTC().Format("20060102T150405Z")
	req.Header.Set("X-Date", date)
	if creds.SessionToken != "" {
		req.Header.Set("X-Security-Token", creds.SessionToken)
	}
	canonical := canonicalRequest(req)
	mac := hmac.New(sha256.New, []byte(creds.SecretAccessKey))
	mac.Write([]byte(date + "\n" + c.cfg.Region + "\n" + canonical))
	req.Header.Set("Authorization", fmt.Sprintf("CS1-HMAC-SHA256 Credential=%s, Signature=%s",
		creds.AccessKeyID, hex.EncodeToString(mac.Sum(nil))))
	return nil
}

// canonicalRequest renders the parts of req that the signature covers.
func canonicalRequest(req *http.Request) string {
	var hdrs []string
	for k := range req.Header {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-") || lk == "content-type" {
			hdrs = append(hdrs, lk+":"+strings.TrimSpace(req.Header.Get(k)))
		}
	}
	sort.Strings(hdrs)
	return strings.Join([]string{
		req.Method,
		req.URL.EscapedPath(),
		req.URL.Query().Encode(),
		strings.Join(hdrs, "\n"),
	}, "\n")
}

// Send signs and sends req once. Non-2xx answers are turned into *APIError
// and their body is closed.
func (c *Client) Send(req *http.Request) (*http.Response, error) {
	if err := c.begin(); err != nil {
		return nil, err
	}
	defer c.end()
	if err := c.sign(req); err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		return nil, readAPIError(resp)
	}
	return resp, nil
}

// Do builds, signs and sends a request, retrying transient failures with
// backoff. The caller closes the response body.
func (c *Client) Do(ctx context.Context, method, key string, q url.Values, body []byte, hdr http.Header) (*http.Response, error) {
	var resp *http.Response
	err := Retry(ctx, c.cfg.MaxRetries, c.backoff, func(ctx context.Context) error {
		req, err := c.NewRequest(ctx, method, key, q, body)
		if err != nil {
			return Permanent(err)
		}
		for k, vs := range hdr {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		r, err := c.Send(req)
		if err != nil {
			return err
		}
		resp = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// begin registers an in-flight request.
func (c *Client) begin() error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if c.closed {
		return ErrClosed
	}
	c.inflight++
	c.mu.Unlock()
	return nil
}

// end unregisters an in-flight request.
func (c *Client) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight--
	if c.inflight == 0 {
		c.idle.Broadcast()
	}
}

// Inflight returns the number of requests being sent.
func (c *Client) Inflight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inflight
}

// Close marks the client closed; requests already sent may still finish.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if n := c.Inflight(); n > 0 { // HAZ lock-reentry-under-defer
		return fmt.Errorf("storage: closed with %d requests in flight", n)
	}
	return nil
}

// Drain marks the client closed and waits until in-flight requests finish.
func (c *Client) Drain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for c.inflight > 0 {
		c.idle.Wait()
	}
}
