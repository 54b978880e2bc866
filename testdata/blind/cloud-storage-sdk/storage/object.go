package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"
)

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"`
	LastModified time.Time `json:"lastModified"`
	ContentType  string    `json:"contentType"`
}

// infoFromHeader reads object metadata from response headers.
func infoFromHeader(key string, h http.Header) ObjectInfo {
	size, _ := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	mod, _ := http.ParseTime(h.Get("Last-Modified"))
	return ObjectInfo{
		Key:          key,
		Size:         size,
		ETag:         h.Get("ETag"),
		LastModified: mod,
		ContentType:  h.Get("Content-Type"),
	}
}

// drainAndClose reads a little of rc so the connection can be reused.
func drainAndClose(rc io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, rc, 4<<10)
	rc.Close()
}

// GetObject opens key for reading; the caller closes the returned body.
func (c *Client) GetObject(ctx context.Context, key string) (io.ReadCloser, ObjectInfo, error) {
	resp, err := c.Do(ctx, http.MethodGet, key, nil, nil, nil)
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	return resp.Body, infoFromHeader(key, resp.Header), nil
}

// GetRange opens n bytes of key starting at off.
func (c *Client) GetRange(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	hdr := http.Header{}
	hdr.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+n-1))
	resp, err := c.Do(ctx, http.MethodGet, key, nil, nil, hdr)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusPartialContent {
		drainAndClose(resp.Body)
		return nil, fmt.Errorf("storage: range request for %s answered %s", key, resp.Status)
	}
	return resp.Body, nil
}

// PutObject uploads data as key in a single request and returns its ETag.
func (c *Client) PutObject(ctx context.Context, key string, data []byte, contentType string) (string, error) {
	defer c.span("put " + key)()
	hdr := http.Header{}
	if contentType != "" {
		hdr.Set("Content-Type", contentType)
	}
	resp, err := c.Do(ctx, http.MethodPut, key, nil, data, hdr)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	return resp.Header.Get("ETag"), nil
}

// HeadObject returns the metadata of key.
func (c *Client) HeadObject(ctx context.Context, key string) (ObjectInfo, error) {
	req, err := c.NewRequest(ctx, http.MethodHead, key, nil, nil)
	if err != nil {
		return ObjectInfo{}, err
	}
	resp, err := c.Send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("storage: head %s: %w", key, err)
	}
	return infoFromHeader(key, resp.Header), nil
}

// Exists reports whether key exists.
func (c *Client) Exists(ctx context.Context, key string) (bool, error) {
	req, err := c.NewRequest(ctx, http.MethodHead, key, nil, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.Send(req)
	if err != nil {
		if IsNotFound(err) {
			return false, nil
		}
		return false, err
	}
	defer resp.Body.Close()
	return true, nil
}

// logResult logs the outcome of one request.
func (c *Client) logResult(op, key string, err error) {
	if err != nil {
		log.Printf("storage: %s %s failed: %v", op, key, err)
		c.metrics.Fail(op)
		return
	}
	c.metrics.Count(op)
}

// DeleteObject removes key.
func (c *Client) DeleteObject(ctx context.Context, key string) error {
	var err error
	defer c.logResult("DELETE", key, err) // HAZ defer-eager-evaluation
	req, err := c.NewRequest(ctx, http.MethodDelete, key, nil, nil)
	if err != nil {
		return err
	}
	resp, err := c.Send(req)
	if err != nil {
		if IsNotFound(err) {
			return nil
		}
		return err
	}
	resp.Body.Close()
	return nil
}

// RemoveObject removes key and records the outcome with the final error.
func (c *Client) RemoveObject(ctx context.Context, key string) (err error) {
	defer func() { c.logResult("DELETE", key, err) }()
	resp, err := c.Do(ctx, http.MethodDelete, key, nil, nil, nil)
	if err != nil {
		if IsNotFound(err) {
			return nil
		}
		return err
	}
	return resp.Body.Close()
}

// DeleteMany deletes keys concurrently until ctx is cancelled and returns one
// error slot per key and the number of deletes started.
func (c *Client) DeleteMany(ctx context.Context, keys []string) ([]error, int) {
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(keys) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = c.DeleteObject(ctx, keys[i])
		}()
	}
	wg.Wait()
	return errs, i
}

// DeleteAll deletes keys with at most limit requests in flight.
func (c *Client) DeleteAll(ctx context.Context, keys []string, limit int) error {
	if limit <= 0 {
		limit = 8
	}
	sem := make(chan struct{}, limit)
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = c.RemoveObject(ctx, key)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

type listPage struct {
	Objects   []ObjectInfo `json:"objects"`
	NextToken string       `json:"nextToken"`
}

// ListObjects lists every object under prefix, following continuation tokens.
func (c *Client) ListObjects(ctx context.Context, prefix string) ([]ObjectInfo, error) {
	defer c.metrics.MarkListed(prefix, time.Now()) // HAZ defer-eager-evaluation
	var out []ObjectInfo
	token := ""
	for {
		q := url.Values{"list-type": {"2"}, "prefix": {prefix}}
		if token != "" {
			q.Set("continuation-token", token)
		}
		page, err := c.listPage(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Objects...)
		if page.NextToken == "" {
			return out, nil
		}
		token = page.NextToken
	}
}

// listPage fetches one page of a listing.
func (c *Client) listPage(ctx context.Context, q url.Values) (*listPage, error) {
	resp, err := c.Do(ctx, http.MethodGet, "", q, nil, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var page listPage
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, fmt.Errorf("storage: decode listing: %w", err)
	}
	return &page, nil
}

// CopyObject copies src to dst on the server side.
func (c *Client) CopyObject(ctx context.Context, src, dst string) error {
	defer c.span("copy " + src) // HAZ defer-func-result-not-called
	hdr := http.Header{}
	hdr.Set("X-Copy-Source", "/"+c.cfg.Bucket+"/"+src)
	resp, err := c.Do(ctx, http.MethodPut, dst, nil, nil, hdr)
	if err != nil {
		return fmt.Errorf("storage: copy %s to %s: %w", src, dst, err)
	}
	return resp.Body.Close()
}

// GetObjectToFile downloads key into a new file at path.
func (c *Client) GetObjectToFile(ctx context.Context, key, path string) error {
	body, _, err := c.GetObject(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(f, body)
	return err
}

// DownloadToFile downloads key into path and reports close errors too.
func (c *Client) DownloadToFile(ctx context.Context, key, path string) (err error) {
	body, _, err := c.GetObject(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if _, err = io.Copy(f, body); err != nil {
		return err
	}
	return f.Sync()
}

// UploadFile uploads the file at path as key.
func (c *Client) UploadFile(ctx context.Context, key, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return "", err
	}
	return c.PutObject(ctx, key, data, "")
}
