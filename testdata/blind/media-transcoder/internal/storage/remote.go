package storage

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"time"
)

// Origin is the HTTP origin server the CDN pulls renditions from.
type Origin struct {
	base   *url.URL
	client *http.Client
	token  string

	lastRTT atomic.Int64 // nanoseconds of the most recent GET
}

// NewOrigin parses base and returns a client for it.
func NewOrigin(base, token string, timeout time.Duration) (*Origin, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("storage: origin url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("storage: origin url %q: unsupported scheme", base)
	}
	return &Origin{base: u, client: &http.Client{Timeout: timeout}, token: token}, nil
}

func (o *Origin) url(key string) string {
	u := *o.base
	u.Path = path.Join(u.Path, "objects", strings.TrimPrefix(key, "/"))
	return u.String()
}

func (o *Origin) authorize(req *http.Request) {
	if o.token != "" {
		req.Header.Set("Authorization", "Bearer "+o.token)
	}
}

// Fetch downloads key into w.
func (o *Origin) Fetch(ctx context.Context, key string, w io.Writer) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.url(key), nil)
	if err != nil {
		return 0, err
	}
	o.authorize(req)
	start := time.Now()
	resp, err := o.client.Do(req)
	o.lastRTT.Store(int64(time.Since(start)))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("storage: fetch %s: %w", key, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("storage: fetch %s: %s", key, resp.Status)
	}
	return io.Copy(w, resp.Body)
}

// LastRTT is the round-trip time of the most recent fetch.
func (o *Origin) LastRTT() time.Duration {
	return time.Duration(o.lastRTT.Load())
}

// FetchToFile downloads key into a new local file at dst. The file is
// written, so its Close error is folded into the named result.
func (o *Origin) FetchToFile(ctx context.Context, key, dst string) (n int64, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.url(key), nil)
	if err != nil {
		return 0, err
	}
	o.authorize(req)
	resp, err := o.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("storage: fetch %s: %w", key, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("storage: fetch %s: %s", key, resp.Status)
	}
	f, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return io.Copy(f, resp.Body)
}

// Push uploads size bytes from r under key (size -1 means unknown).
func (o *Origin) Push(ctx context.Context, key string, r io.Reader, size int64) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, o.url(key), r)
	if err != nil {
		return err
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/octet-stream")
	o.authorize(req)
	resp, err := o.client.Do(req)
	if err != nil {
		return fmt.Errorf("storage: push %s: %w", key, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("storage: push %s: %s: %s", key, resp.Status, strings.TrimSpace(string(msg)))
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

// PushGzip compresses src on the fly through an io.Pipe while uploading.
// Both ends of the pipe are closed on every path: the writer with the
// compression error, the reader with the upload error, so the compressing
// goroutine always finishes.
func (o *Origin) PushGzip(ctx context.Context, key string, src io.Reader) error {
	pr, pw := io.Pipe()
	go func() {
		zw := gzip.NewWriter(pw)
		_, err := io.Copy(zw, src)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
		pw.CloseWithError(err)
	}()
	err := o.Push(ctx, key, pr, -1)
	pr.CloseWithError(errors.Join(err, io.ErrClosedPipe))
	return err
}

// Publish uploads a local file; it satisfies encoder.Publisher.
func (o *Origin) Publish(ctx context.Context, key, localPath string) error {
	f, err := os.Open(localPath)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return o.Push(ctx, key, f, st.Size())
}

// Exists asks the origin whether key is present.
func (o *Origin) Exists(ctx context.Context, key string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, o.url(key), nil)
	if err != nil {
		return false, err
	}
	o.authorize(req)
	resp, err := o.client.Do(req)
	if err != nil {
		return false, err
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	default:
		return false, fmt.Errorf("storage: head %s: %s", key, resp.Status)
	}
}
