package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"example.com/sdk/backoff"
	"example.com/sdk/diskcache"
	"example.com/sdk/paginate"
	"example.com/sdk/telemetry"
)

func objectPath(key string) string { return "/objects/" + url.PathEscape(key) }

func (c *Client) fetch(ctx context.Context, key string) ([]byte, error) {
	req, err := c.newRequest(ctx, http.MethodGet, objectPath(key), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := checkStatus(resp); err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// GetObject downloads an object.
func (c *Client) GetObject(ctx context.Context, key string) ([]byte, error) {
	defer telemetry.Trace(c.tracer, "GetObject") // HAZ defer-func-result-not-called
	return c.fetch(ctx, key)
}

// HeadObject returns the object size.
func (c *Client) HeadObject(ctx context.Context, key string) (int64, error) {
	defer telemetry.Trace(c.tracer, "HeadObject")() // ok: ends the span at exit
	req, err := c.newRequest(ctx, http.MethodHead, objectPath(key), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if err := checkStatus(resp); err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// CachedGet serves key from cache, filling it on a miss.
func (c *Client) CachedGet(ctx context.Context, cache *diskcache.Cache, key string, ttl time.Duration) ([]byte, error) {
	b, err := cache.Get(key)
	if err == nil {
		return b, nil
	}
	if !errors.Is(err, diskcache.ErrMiss) {
		c.logf("cache get %s: %v", key, err)
	}
	b, err = c.fetch(ctx, key)
	if err != nil {
		return nil, err
	}
	if err := cache.PutAtomic(key, b, ttl); err != nil {
		c.logf("cache put %s: %v", key, err)
	}
	return b, nil
}

// gzipBody compresses a request body.
func gzipBody(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	defer zw.Close() // HAZ defer-close-unchecked-write
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gzipBodyChecked closes the writer before reading the buffer.
func gzipBodyChecked(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (c *Client) putBytes(ctx context.Context, key string, body []byte, gz bool) error {
	req, err := c.newRequest(ctx, http.MethodPut, objectPath(key), bytes.NewReader(body))
	if err != nil {
		return err
	}
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return checkStatus(resp)
}

// PutObject uploads data, compressing it if configured.
func (c *Client) PutObject(ctx context.Context, key string, data []byte) error {
	ctx, span := c.tracer.Start(ctx, "PutObject")
	var err error
	defer span.End(err) // HAZ defer-eager-evaluation
	body := data
	if c.opts.Compress {
		body, err = gzipBody(data)
		if err != nil {
			return err
		}
	}
	err = c.putBytes(ctx, key, body, c.opts.Compress)
	return err
}

// PutObjectTraced ends the span with the final error.
func (c *Client) PutObjectTraced(ctx context.Context, key string, data []byte) (err error) {
	ctx, span := c.tracer.Start(ctx, "PutObject")
	defer func() { span.End(err) }() // ok: reads the named result at exit
	body := data
	if c.opts.Compress {
		if body, err = gzipBodyChecked(data); err != nil {
			return err
		}
	}
	return c.putBytes(ctx, key, body, c.opts.Compress)
}

// DeleteObject deletes key; a missing key is not an error.
func (c *Client) DeleteObject(ctx context.Context, key string) error {
	req, err := c.newRequest(ctx, http.MethodDelete, objectPath(key), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := resp.Body.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if resp.StatusCode == http.StatusNotFound {
		return nil
	}
	return checkStatus(resp)
}

// DeleteObjectChecked is DeleteObject with the close error in a named result.
func (c *Client) DeleteObjectChecked(ctx context.Context, key string) (err error) {
	req, err := c.newRequest(ctx, http.MethodDelete, objectPath(key), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := resp.Body.Close(); cerr != nil && err == nil {
			err = cerr // ok: named result
		}
	}()
	if resp.StatusCode == http.StatusNotFound {
		return nil
	}
	return checkStatus(resp)
}

// Download fetches key, holding a limiter slot if one is configured.
func (c *Client) Download(ctx context.Context, key string) ([]byte, error) {
	var release func()
	if c.opts.Limiter != nil {
		release = c.opts.Limiter.Acquire()
	}
	defer release() // HAZ defer-nil-func
	return c.fetch(ctx, key)
}

// DownloadLimited starts from a no-op release.
func (c *Client) DownloadLimited(ctx context.Context, key string) ([]byte, error) {
	release := func() {}
	if c.opts.Limiter != nil {
		r, err := c.opts.Limiter.AcquireContext(ctx)
		if err != nil {
			return nil, err
		}
		release = r
	}
	defer release() // ok: never nil
	return c.fetch(ctx, key)
}

func (c *Client) putStream(ctx context.Context, key string, r io.Reader) error {
	req, err := c.newRequest(ctx, http.MethodPut, objectPath(key), r)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return checkStatus(resp)
}

// Upload streams r to key and sets its metadata concurrently.
func (c *Client) Upload(ctx context.Context, key string, r io.Reader, meta map[string]string) error {
	errc := make(chan error)
	go func() { // HAZ goroutine-blocked-send
		errc <- c.putStream(ctx, key, r)
	}()
	if len(meta) > 0 {
		if err := c.call(ctx, http.MethodPut, objectPath(key)+"/meta", meta, nil, nil); err != nil {
			return err
		}
	}
	return <-errc
}

// UploadBuffered is Upload with room for the result if nobody waits for it.
func (c *Client) UploadBuffered(ctx context.Context, key string, r io.Reader, meta map[string]string) error {
	errc := make(chan error, 1)
	go func() {
		errc <- c.putStream(ctx, key, r) // ok: buffered, never blocks
	}()
	if len(meta) > 0 {
		if err := c.call(ctx, http.MethodPut, objectPath(key)+"/meta", meta, nil, nil); err != nil {
			return err
		}
	}
	return <-errc
}

// BatchGet downloads keys concurrently.
func (c *Client) BatchGet(ctx context.Context, keys []string) (out map[string][]byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sdk: batch get: %v", r)
		}
	}()
	out = make(map[string][]byte, len(keys))
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			b, err := c.fetch(ctx, k)
			if err != nil {
				errs[i] = err
				return
			}
			mu.Lock()
			out[k] = b
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// BatchGetGuarded recovers inside each worker goroutine.
func (c *Client) BatchGetGuarded(ctx context.Context, keys []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(keys))
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("sdk: get %s: %v", k, r) // ok: own recover
				}
			}()
			b, err := c.fetch(ctx, k)
			if err != nil {
				errs[i] = err
				return
			}
			mu.Lock()
			defer mu.Unlock()
			out[k] = b
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

func listPath(prefix, token string) string {
	q := url.Values{}
	q.Set("prefix", prefix)
	if token != "" {
		q.Set("page_token", token)
	}
	return "/objects?" + q.Encode()
}

// listPage fetches one page of keys; PageDelay spaces out consecutive pages.
func (c *Client) listPage(ctx context.Context, prefix, token string) (page paginate.Page[string], err error) {
	defer time.Sleep(c.opts.PageDelay) // HAZ defer-blocking-call
	err = c.call(ctx, http.MethodGet, listPath(prefix, token), nil, &page, nil)
	return page, err
}

// ListKeys lists every key under prefix.
func (c *Client) ListKeys(ctx context.Context, prefix string) ([]string, error) {
	p := paginate.New(func(ctx context.Context, token string) (paginate.Page[string], error) {
		return c.listPage(ctx, prefix, token)
	})
	return p.All(ctx)
}

// ListKeysPaced waits between pages, honouring ctx.
func (c *Client) ListKeysPaced(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	token := ""
	for {
		var page paginate.Page[string]
		if err := c.call(ctx, http.MethodGet, listPath(prefix, token), nil, &page, nil); err != nil {
			return out, err
		}
		out = append(out, page.Items...)
		if page.NextToken == "" {
			return out, nil
		}
		token = page.NextToken
		if err := backoff.Sleep(ctx, c.opts.PageDelay); err != nil {
			return out, err
		}
	}
}
