package staging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
)

// Uploader sends staged parts to the ingest service over HTTP.
type Uploader struct {
	client *http.Client
	base   string
	token  string
	log    *log.Logger

	mu      sync.Mutex
	latency map[string]time.Duration
}

// NewUploader returns an Uploader for the service at base.
func NewUploader(base, token string, timeout time.Duration, logger *log.Logger) *Uploader {
	if logger == nil {
		logger = log.Default()
	}
	return &Uploader{
		client:  &http.Client{Timeout: timeout},
		base:    base,
		token:   token,
		log:     logger,
		latency: make(map[string]time.Duration),
	}
}

// StatusError is returned for a non-2xx response.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("ingest: status %d: %s", e.Code, e.Body)
}

func checkStatus(resp *http.Response) error {
	if resp.StatusCode/100 == 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil
	}
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	return &StatusError{Code: resp.StatusCode, Body: string(bytes.TrimSpace(msg))}
}

func (u *Uploader) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+u.token)
	return req, nil
}

func (u *Uploader) observe(op string, d time.Duration) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.latency[op] = d
}

// Latency returns the last observed latency of op.
func (u *Uploader) Latency(op string) time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.latency[op]
}

// trace logs the start of an operation and returns the func that logs its
// end.
func (u *Uploader) trace(op string) func() {
	start := time.Now()
	u.log.Printf("%s: start", op)
	return func() { u.log.Printf("%s: done in %v", op, time.Since(start)) }
}

// upload sends one part.
func (u *Uploader) upload(ctx context.Context, p Part) error {
	f, err := os.Open(p.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	req, err := u.newRequest(ctx, http.MethodPut, "/parts/"+url.PathEscape(p.Name), f)
	if err != nil {
		return err
	}
	req.ContentLength = p.Size
	req.Header.Set("X-Content-SHA256", p.Sum)
	start := time.Now()
	resp, err := u.client.Do(req)
	u.observe("put", time.Since(start))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("upload %s: %w", p.Name, err)
	}
	return checkStatus(resp)
}

// exists asks the service whether it already has a part with this digest.
func (u *Uploader) exists(ctx context.Context, p Part) (bool, error) {
	req, err := u.newRequest(ctx, http.MethodHead, "/blobs/"+p.Sum, nil)
	if err != nil {
		return false, err
	}
	resp, err := u.client.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, checkStatus(resp)
}

// FetchManifest returns the name-to-digest map the service already holds
// for this batch.
func (u *Uploader) FetchManifest(batch string) (map[string]string, error) {
	start := time.Now()
	resp, _ := u.client.Get(u.base + "/batches/" + url.PathEscape(batch) + "/manifest")
	u.observe("manifest", time.Since(start))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return nil, checkStatus(resp)
	}
	var m map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// RemoteManifest is FetchManifest with a context and proper error handling.
func (u *Uploader) RemoteManifest(ctx context.Context, batch string) (map[string]string, error) {
	req, err := u.newRequest(ctx, http.MethodGet, "/batches/"+url.PathEscape(batch)+"/manifest", nil)
	if err != nil {
		return nil, err
	}
	resp, err := u.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, checkStatus(resp)
	}
	var m map[string]string
	err = json.NewDecoder(resp.Body).Decode(&m)
	return m, err
}

func backoff(attempt int) time.Duration {
	d := 200 * time.Millisecond << attempt
	return min(d, 10*time.Second)
}

// uploadWithRetry uploads p, retrying with exponential backoff.
func (u *Uploader) uploadWithRetry(ctx context.Context, p Part, attempts int) error {
	defer u.trace("upload " + p.Name) // HAZ defer-func-result-not-called
	var err error
	for i := range attempts {
		if err = u.upload(ctx, p); err == nil {
			return nil
		}
		var se *StatusError
		if errors.As(err, &se) && se.Code/100 == 4 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff(i)):
		}
	}
	return fmt.Errorf("upload %s after %d attempts: %w", p.Name, attempts, err)
}

// publish tells the service that every part of the batch is there.
func (u *Uploader) publish(ctx context.Context, batch string, parts []Part) error {
	defer u.trace("publish " + batch)()
	body, err := json.Marshal(parts)
	if err != nil {
		return err
	}
	req, err := u.newRequest(ctx, http.MethodPost, "/batches/"+url.PathEscape(batch), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := u.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return checkStatus(resp)
}

// UploadAll uploads every staged part concurrently, then publishes the
// batch.
func (u *Uploader) UploadAll(ctx context.Context, batch string, s *Stager) error {
	parts := slices.Collect(s.Parts())
	errc := make(chan error)
	for _, p := range parts {
		go func() {
			errc <- u.upload(ctx, p) // HAZ goroutine-blocked-send
		}()
	}
	for range parts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return u.publish(ctx, batch, parts)
}

// UploadMissing uploads, at most limit at a time, the parts the service
// does not have yet, then publishes the batch. All uploads finish before
// it returns, even when one fails.
func (u *Uploader) UploadMissing(ctx context.Context, batch string, s *Stager, limit int) error {
	parts := slices.Collect(s.Parts())
	errc := make(chan error, len(parts))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
			defer func() { <-sem }()
			ok, err := u.exists(ctx, p)
			if err == nil && !ok {
				err = u.uploadWithRetry(ctx, p, 4)
			}
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return u.publish(ctx, batch, parts)
}
