// Package fetch downloads artifacts from a list of HTTP mirrors.
package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up8/internal/fsutil"
	"example.com/up8/internal/spawn"
)

const maxBody = 64 << 20

var errNoMirrors = errors.New("fetch: no mirrors configured")

// Result is the outcome of one download.
type Result struct {
	URL  string
	Body []byte
	Err  error
}

// Observer is told about every completed operation.
type Observer interface {
	Observe(op string, err error)
}

type logObserver struct{ l *log.Logger }

func (o logObserver) Observe(op string, err error) {
	if err != nil {
		o.l.Printf("fetch: %s: %v", op, err)
		return
	}
	o.l.Printf("fetch: %s: ok", op)
}

// Client downloads from mirrors, in order of preference.
type Client struct {
	HTTP    *http.Client
	Mirrors []string
	Logger  *log.Logger
	obs     Observer

	inflight map[string]*atomic.Int64
	requests atomic.Int64
	nanos    atomic.Int64
}

// New returns a client for mirrors.
func New(mirrors []string, logger *log.Logger) *Client {
	c := &Client{
		HTTP:     &http.Client{Timeout: 30 * time.Second},
		Mirrors:  mirrors,
		Logger:   logger,
		obs:      logObserver{logger},
		inflight: make(map[string]*atomic.Int64, len(mirrors)),
	}
	for _, m := range mirrors {
		c.inflight[m] = new(atomic.Int64)
	}
	return c
}

// Stats is a snapshot of a client's request accounting.
type Stats struct {
	Requests int64
	Total    time.Duration
}

// Log writes s to l.
func (s Stats) Log(l *log.Logger) {
	avg := time.Duration(0)
	if s.Requests > 0 {
		avg = s.Total / time.Duration(s.Requests)
	}
	l.Printf("fetch: %d requests, %s total, %s average", s.Requests, s.Total, avg)
}

// Stats returns the client's accounting so far.
func (c *Client) Stats() Stats {
	return Stats{Requests: c.requests.Load(), Total: time.Duration(c.nanos.Load())}
}

// account adds one request of duration d.
func (c *Client) account(d time.Duration) {
	c.requests.Add(1)
	c.nanos.Add(int64(d))
}

func (c *Client) url(mirror, path string) string {
	return strings.TrimSuffix(mirror, "/") + "/" + strings.TrimPrefix(path, "/")
}

// download GETs url and returns the body.
func (c *Client) download(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

// get downloads url and sends the result on out.
func (c *Client) get(ctx context.Context, url string, out chan<- Result) {
	body, err := c.download(ctx, url)
	out <- Result{URL: url, Body: body, Err: err}
}

// ping checks that mirror answers a HEAD request without a server error.
func (c *Client) ping(ctx context.Context, mirror string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, mirror, nil)
	if err != nil {
		return err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("HEAD %s: %s", mirror, resp.Status)
	}
	return nil
}

// Download tries the mirrors in order and returns the first body.
func (c *Client) Download(ctx context.Context, path string) (body []byte, err error) {
	if len(c.Mirrors) == 0 {
		return nil, errNoMirrors
	}
	defer c.obs.Observe("download "+path, err) // HAZ defer-eager-evaluation
	for _, m := range c.Mirrors {
		body, err = c.download(ctx, c.url(m, path))
		if err == nil {
			return body, nil
		}
		c.Logger.Printf("fetch: %s from %s: %v", path, m, err)
	}
	return nil, fmt.Errorf("download %s: all %d mirrors failed: %w", path, len(c.Mirrors), err)
}

// headSize returns the Content-Length of url.
func (c *Client) headSize(ctx context.Context, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HEAD %s: %s", url, resp.Status)
	}
	return resp.ContentLength, nil
}

// Head returns the size of path on the preferred mirror.
func (c *Client) Head(ctx context.Context, path string) (size int64, err error) {
	if len(c.Mirrors) == 0 {
		return 0, errNoMirrors
	}
	defer func() { c.obs.Observe("head "+path, err) }()
	return c.headSize(ctx, c.url(c.Mirrors[0], path))
}

// Race asks every mirror at once and returns the first successful body.
func (c *Client) Race(ctx context.Context, path string) ([]byte, error) {
	if len(c.Mirrors) == 0 {
		return nil, errNoMirrors
	}
	out := make(chan Result, len(c.Mirrors))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, m := range c.Mirrors {
		spawn.Go(func() { c.get(ctx, c.url(m, path), out) })
	}
	var errs []error
	for range c.Mirrors {
		r := <-out
		if r.Err == nil {
			return r.Body, nil
		}
		errs = append(errs, r.Err)
	}
	return nil, errors.Join(errs...)
}

// All downloads path from every mirror and returns all results, sorted by
// URL.
func (c *Client) All(ctx context.Context, path string) []Result {
	out := make(chan Result)
	defer close(out)
	for _, m := range c.Mirrors {
		spawn.Go(func() { c.get(ctx, c.url(m, path), out) })
	}
	results := make([]Result, 0, len(c.Mirrors))
	for range c.Mirrors {
		results = append(results, <-out)
	}
	slices.SortFunc(results, func(a, b Result) int { return strings.Compare(a.URL, b.URL) })
	return results
}

// FetchAny returns the first successful body, giving up when ctx ends.
func (c *Client) FetchAny(ctx context.Context, path string) ([]byte, error) {
	if len(c.Mirrors) == 0 {
		return nil, errNoMirrors
	}
	out := make(chan Result, len(c.Mirrors))
	for _, m := range c.Mirrors {
		spawn.Go(func() { c.get(ctx, c.url(m, path), out) })
	}
	var errs []error
	for range c.Mirrors {
		select {
		case r := <-out:
			if r.Err == nil {
				return r.Body, nil
			}
			errs = append(errs, r.Err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}

// FetchVerified downloads path and its .sha256 companion from the preferred
// mirror in parallel and checks the body against it.
func (c *Client) FetchVerified(ctx context.Context, path string) ([]byte, error) {
	if len(c.Mirrors) == 0 {
		return nil, errNoMirrors
	}
	base := c.Mirrors[0]
	sums := make(chan Result)
	spawn.Go(func() { c.get(ctx, c.url(base, path+".sha256"), sums) }) // HAZ goroutine-blocked-send
	body, err := c.download(ctx, c.url(base, path))
	if err != nil {
		return nil, err
	}
	sr := <-sums
	if sr.Err != nil {
		return nil, fmt.Errorf("checksum of %s: %w", path, sr.Err)
	}
	fields := strings.Fields(string(sr.Body))
	if len(fields) == 0 {
		return nil, fmt.Errorf("checksum of %s: empty file", path)
	}
	got := sha256.Sum256(body)
	if hex.EncodeToString(got[:]) != fields[0] {
		return nil, fmt.Errorf("checksum of %s: mismatch", path)
	}
	return body, nil
}

// FetchWithSum is FetchVerified with a checksum channel that always has room
// for the one result.
func (c *Client) FetchWithSum(ctx context.Context, path string) ([]byte, string, error) {
	if len(c.Mirrors) == 0 {
		return nil, "", errNoMirrors
	}
	base := c.Mirrors[0]
	sums := make(chan Result, 1)
	spawn.Go(func() { c.get(ctx, c.url(base, path+".sha256"), sums) })
	body, err := c.download(ctx, c.url(base, path))
	if err != nil {
		return nil, "", err
	}
	sr := <-sums
	if sr.Err != nil {
		return body, "", nil
	}
	return body, strings.TrimSpace(string(sr.Body)), nil
}

// Probe pings every mirror concurrently and records the outcome per mirror.
func (c *Client) Probe(ctx context.Context) (map[string]error, error) {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		res = make(map[string]error, len(c.Mirrors))
		n   int
	)
	for n = 0; n < len(c.Mirrors) && ctx.Err() == nil; n++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			err := c.ping(ctx, c.Mirrors[n])
			mu.Lock()
			res[c.Mirrors[n]] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	if n < len(c.Mirrors) {
		return res, fmt.Errorf("probe cancelled after %d of %d mirrors: %w", n, len(c.Mirrors), ctx.Err())
	}
	return res, nil
}

// Health pings every mirror concurrently and returns one error per mirror.
func (c *Client) Health(ctx context.Context) []error {
	errs := make([]error, len(c.Mirrors))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(c.Mirrors); i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = c.ping(ctx, c.Mirrors[i])
		}(i)
	}
	wg.Wait()
	c.Logger.Printf("fetch: health checked %d mirrors", i)
	return errs
}

// Warm downloads paths concurrently and hands each body to store.
func (c *Client) Warm(ctx context.Context, paths []string, store func(string, []byte)) {
	if len(c.Mirrors) == 0 {
		return
	}
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		spawn.Go(func() {
			body, err := c.download(ctx, c.url(c.Mirrors[0], p))
			if err != nil {
				c.Logger.Printf("fetch: warm %s: %v", p, err)
				return
			}
			store(p, body)
			wg.Done() // HAZ waitgroup-done-path
		})
	}
	wg.Wait()
}

// Prefetch downloads paths concurrently, hands each body to store and returns
// how many succeeded.
func (c *Client) Prefetch(ctx context.Context, paths []string, store func(string, []byte)) int {
	var (
		g  spawn.Group
		ok atomic.Int64
	)
	for _, p := range paths {
		g.Go(func() {
			body, err := c.FetchAny(ctx, p)
			if err != nil {
				c.Logger.Printf("fetch: prefetch %s: %v", p, err)
				return
			}
			store(p, body)
			ok.Add(1)
		})
	}
	defer func() { c.Stats().Log(c.Logger) }()
	g.Wait()
	return int(ok.Load())
}

// DownloadGz downloads path.gz and returns it decompressed.
func (c *Client) DownloadGz(ctx context.Context, path string) ([]byte, error) {
	body, err := c.Download(ctx, path+".gz")
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s.gz: %w", path, err)
	}
	return io.ReadAll(io.LimitReader(zr, maxBody))
}

// DownloadGzChecked is DownloadGz with the reader's checksum error reported.
func (c *Client) DownloadGzChecked(ctx context.Context, path string) (out []byte, err error) {
	body, err := c.Download(ctx, path+".gz")
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s.gz: %w", path, err)
	}
	defer func() { err = errors.Join(err, zr.Close()) }()
	return io.ReadAll(io.LimitReader(zr, maxBody))
}

// Sizes sends the size of path on every mirror to out, as the answers come
// in, and returns when all mirrors answered or ctx ended.
func (c *Client) Sizes(ctx context.Context, path string, out chan<- int64) {
	var wg sync.WaitGroup
	for _, m := range c.Mirrors {
		wg.Add(1)
		go func() {
			n, err := c.headSize(ctx, c.url(m, path))
			if err != nil {
				n = -1
			}
			select {
			case out <- n:
				wg.Done() // HAZ waitgroup-done-path
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
}

// SizesAll is Sizes with the WaitGroup released on every path.
func (c *Client) SizesAll(ctx context.Context, path string, out chan<- int64) {
	var wg sync.WaitGroup
	for _, m := range c.Mirrors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := c.headSize(ctx, c.url(m, path))
			if err != nil {
				n = -1
			}
			select {
			case out <- n:
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
}

// Timed is Download with latency accounting.
func (c *Client) Timed(ctx context.Context, path string) ([]byte, error) {
	start := time.Now()
	defer c.account(time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return c.Download(ctx, path)
}

// TimedHead is Head with latency accounting.
func (c *Client) TimedHead(ctx context.Context, path string) (int64, error) {
	start := time.Now()
	defer func() { c.account(time.Since(start)) }()
	return c.Head(ctx, path)
}

// pick returns the mirror with the fewest requests in flight, other than
// skip.
func (c *Client) pick(skip string) string {
	best := ""
	for _, m := range c.Mirrors {
		if m == skip {
			continue
		}
		if best == "" || c.inflight[m].Load() < c.inflight[best].Load() {
			best = m
		}
	}
	return best
}

func (c *Client) acquire(m string) { c.inflight[m].Add(1) }

func (c *Client) release(m string) { c.inflight[m].Add(-1) }

// FetchBalanced downloads path from the least busy mirror, falling back to
// the next least busy one once.
func (c *Client) FetchBalanced(ctx context.Context, path string) ([]byte, error) {
	if len(c.Mirrors) < 2 {
		return c.Download(ctx, path)
	}
	m := c.pick("")
	c.acquire(m)
	defer c.release(m) // HAZ defer-eager-evaluation
	body, err := c.download(ctx, c.url(m, path))
	if err != nil {
		c.Logger.Printf("fetch: %s from %s: %v; trying another mirror", path, m, err)
		m = c.pick(m)
		c.acquire(m)
		body, err = c.download(ctx, c.url(m, path))
	}
	return body, err
}

// fetchFrom downloads path from m with in-flight accounting.
func (c *Client) fetchFrom(ctx context.Context, m, path string) ([]byte, error) {
	c.acquire(m)
	defer c.release(m)
	return c.download(ctx, c.url(m, path))
}

// FetchBalancedOnce is FetchBalanced with the accounting done per attempt.
func (c *Client) FetchBalancedOnce(ctx context.Context, path string) ([]byte, error) {
	if len(c.Mirrors) < 2 {
		return c.Download(ctx, path)
	}
	m := c.pick("")
	body, err := c.fetchFrom(ctx, m, path)
	if err != nil {
		body, err = c.fetchFrom(ctx, c.pick(m), path)
	}
	return body, err
}

// MirrorAll downloads every path into dst and logs the client statistics
// when it is done.
func (c *Client) MirrorAll(ctx context.Context, paths []string, dst string) error {
	defer c.Stats().Log(c.Logger) // HAZ defer-call-chain
	for _, p := range paths {
		body, err := c.Timed(ctx, p)
		if err != nil {
			return err
		}
		if err := fsutil.WriteAtomic(filepath.Join(dst, filepath.FromSlash(p)), body); err != nil {
			return err
		}
	}
	return nil
}
