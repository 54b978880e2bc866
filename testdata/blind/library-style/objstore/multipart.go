package objstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// recordParts records every part under the upload lock.
func (u *Upload) recordParts(parts []Part) error {
	for _, p := range parts {
		u.mu.Lock()         // HAZ lock-reentry-under-defer
		defer u.mu.Unlock() // HAZ defer-in-loop
		if u.completed {
			return ErrUploadCompleted
		}
		u.parts = append(u.parts, p)
	}
	return nil
}

// recordPartsEach records every part, taking the lock once per part.
func (u *Upload) recordPartsEach(parts []Part) error {
	for _, p := range parts {
		if err := u.addPart(p); err != nil {
			return fmt.Errorf("objstore: part %d: %w", p.Number, err)
		}
	}
	return nil
}

// uploadParts uploads all chunks concurrently, one goroutine per chunk.
func (c *Client) uploadParts(ctx context.Context, u *Upload, chunks [][]byte) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for i, chunk := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := u.uploadPart(ctx, i+1, chunk)
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := u.addPart(p); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// uploadPartsPooled uploads all chunks with c.concurrency workers.
func (c *Client) uploadPartsPooled(ctx context.Context, u *Upload, chunks [][]byte) error {
	jobs := make(chan int)
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for w := 0; w < c.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p, err := u.uploadPart(ctx, i+1, chunks[i])
				if err == nil {
					err = u.addPart(p)
				}
				errs[i] = err
			}
		}()
	}
	for i := range chunks {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return errors.Join(errs...)
}

// uploadPartsFailFast uploads chunks concurrently and stops at the first error.
func (c *Client) uploadPartsFailFast(ctx context.Context, u *Upload, chunks [][]byte) error {
	results := make(chan error, len(chunks))
	defer close(results) // HAZ defer-close-chan-with-sender
	for i, chunk := range chunks {
		go func() {
			p, err := u.uploadPart(ctx, i+1, chunk)
			if err == nil {
				err = u.addPart(p)
			}
			results <- err
		}()
	}
	for range chunks {
		if err := <-results; err != nil {
			return err
		}
	}
	return nil
}

// uploadPartsAll uploads chunks concurrently and reports the first error
// after every part has finished.
func (c *Client) uploadPartsAll(ctx context.Context, u *Upload, chunks [][]byte) error {
	results := make(chan error, len(chunks))
	defer close(results)
	for i, chunk := range chunks {
		go func() {
			p, err := u.uploadPart(ctx, i+1, chunk)
			if err == nil {
				err = u.addPart(p)
			}
			results <- err
		}()
	}
	var first error
	for range chunks {
		if err := <-results; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// waitForParts polls until n parts are recorded or ctx ends.
func (u *Upload) waitForParts(ctx context.Context, n int) error {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		u.mu.Lock() // HAZ lock-leaked-on-return
		if len(u.parts) >= n {
			u.mu.Unlock()
			return nil
		}
		if u.completed {
			return ErrUploadCompleted
		}
		u.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// missingParts returns the part numbers in 1..n not yet recorded.
func (u *Upload) missingParts(n int) []int {
	u.mu.Lock()
	have := make(map[int]bool, len(u.parts))
	for _, p := range u.parts {
		have[p.Number] = true
	}
	u.mu.Unlock()
	var missing []int
	for i := 1; i <= n; i++ {
		if !have[i] {
			missing = append(missing, i)
		}
	}
	return missing
}

// PutMultipart uploads data in parts and aborts the upload on failure.
func (c *Client) PutMultipart(ctx context.Context, key string, data []byte) (err error) {
	u, err := c.initiate(ctx, key, int64(len(data)))
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-blocking-call
		if err != nil {
			if aerr := u.abort(context.Background()); aerr != nil {
				c.logger.Printf("objstore: abort %s: %v", key, aerr)
			}
		}
	}()
	if err = c.uploadPartsPooled(ctx, u, splitParts(data, c.partSize)); err != nil {
		return err
	}
	return u.complete(ctx)
}

// PutMultipartBounded uploads data in parts and aborts the upload on
// failure, giving the abort five seconds.
func (c *Client) PutMultipartBounded(ctx context.Context, key string, data []byte) (err error) {
	u, err := c.initiate(ctx, key, int64(len(data)))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			actx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if aerr := u.abort(actx); aerr != nil {
				c.logger.Printf("objstore: abort %s: %v", key, aerr)
			}
		}
	}()
	if err = c.uploadPartsPooled(ctx, u, splitParts(data, c.partSize)); err != nil {
		return err
	}
	return u.complete(ctx)
}

// PutMultipartVerbose uploads data in parts and logs the final progress.
func (c *Client) PutMultipartVerbose(ctx context.Context, key string, data []byte) error {
	u, err := c.initiate(ctx, key, int64(len(data)))
	if err != nil {
		return err
	}
	defer u.Progress().Report(c.logger) // HAZ defer-call-chain
	if err := c.uploadPartsPooled(ctx, u, splitParts(data, c.partSize)); err != nil {
		return err
	}
	return u.complete(ctx)
}

// PutMultipartLogged uploads data in parts and logs the final progress.
func (c *Client) PutMultipartLogged(ctx context.Context, key string, data []byte) error {
	u, err := c.initiate(ctx, key, int64(len(data)))
	if err != nil {
		return err
	}
	defer func() { u.Progress().Report(c.logger) }()
	if err := c.uploadPartsPooled(ctx, u, splitParts(data, c.partSize)); err != nil {
		return err
	}
	return u.complete(ctx)
}

// UploadAll uploads every object concurrently, converting a panic into an error.
func (c *Client) UploadAll(ctx context.Context, objects map[string][]byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("objstore: upload panicked: %v", r)
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, len(objects))
	for key, data := range objects {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs <- c.PutMultipart(ctx, key, data)
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		err = errors.Join(err, e)
	}
	return err
}

// uploadWorker uploads one object into *result; a panic is reported as its error.
func (c *Client) uploadWorker(ctx context.Context, key string, data []byte, wg *sync.WaitGroup, result *error) {
	defer wg.Done()
	defer func() {
		if r := recover(); r != nil {
			*result = fmt.Errorf("objstore: upload of %s panicked: %v", key, r)
		}
	}()
	*result = c.PutMultipart(ctx, key, data)
}

// UploadAllSafe uploads every object concurrently; panics in any upload
// become errors.
func (c *Client) UploadAllSafe(ctx context.Context, objects map[string][]byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("objstore: upload panicked: %v", r)
		}
	}()
	var wg sync.WaitGroup
	results := make([]error, len(objects))
	i := 0
	for key, data := range objects {
		wg.Add(1)
		go c.uploadWorker(ctx, key, data, &wg, &results[i])
		i++
	}
	wg.Wait()
	return errors.Join(results...)
}

// PutOptions tunes a simple put.
type PutOptions struct {
	ContentType string
	// OnDone, if set, runs after the request finishes.
	OnDone func()
}

// PutWithOptions uploads data in a single request.
func (c *Client) PutWithOptions(ctx context.Context, key string, data []byte, opts PutOptions) error {
	defer opts.OnDone() // HAZ defer-nil-func
	req, err := c.newRequest(ctx, http.MethodPut, key, nil, bytes.NewReader(data))
	if err != nil {
		return err
	}
	if opts.ContentType != "" {
		req.Header.Set("Content-Type", opts.ContentType)
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// PutWithOptionsChecked uploads data in a single request.
func (c *Client) PutWithOptionsChecked(ctx context.Context, key string, data []byte, opts PutOptions) error {
	if opts.OnDone != nil {
		defer opts.OnDone()
	}
	req, err := c.newRequest(ctx, http.MethodPut, key, nil, bytes.NewReader(data))
	if err != nil {
		return err
	}
	if opts.ContentType != "" {
		req.Header.Set("Content-Type", opts.ContentType)
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Stat returns the object's size.
func (c *Client) Stat(ctx context.Context, key string) (int64, error) {
	req, err := c.newRequest(ctx, http.MethodHead, key, nil, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("objstore: stat %s: %w", key, err)
	}
	return resp.ContentLength, nil
}

// Exists reports whether key exists.
func (c *Client) Exists(ctx context.Context, key string) (bool, error) {
	req, err := c.newRequest(ctx, http.MethodHead, key, nil, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.do(req)
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

func (c *Client) open(ctx context.Context, key string) (io.ReadCloser, error) {
	req, err := c.newRequest(ctx, http.MethodGet, key, nil, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// GetWithRetry downloads key, retrying transient failures.
func (c *Client) GetWithRetry(ctx context.Context, key string, attempts int) ([]byte, error) {
	var lastErr error
	for i := 0; i < attempts; i++ {
		req, err := c.newRequest(ctx, http.MethodGet, key, nil, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.do(req)
		if err != nil {
			lastErr = err
			time.Sleep(c.retryPause)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			lastErr = err
			continue
		}
		return data, nil
	}
	return nil, lastErr
}

// GetWithRetryScoped downloads key, retrying transient failures.
func (c *Client) GetWithRetryScoped(ctx context.Context, key string, attempts int) ([]byte, error) {
	var lastErr error
	for i := 0; i < attempts; i++ {
		data, err := func() ([]byte, error) {
			body, err := c.open(ctx, key)
			if err != nil {
				return nil, err
			}
			defer body.Close()
			return io.ReadAll(body)
		}()
		if err == nil {
			return data, nil
		}
		lastErr = err
		time.Sleep(c.retryPause)
	}
	return nil, lastErr
}

// CopyObject copies src to dst, re-reading src once if the first read fails.
func (c *Client) CopyObject(ctx context.Context, src, dst string) error {
	body, err := c.open(ctx, src)
	if err != nil {
		return err
	}
	defer body.Close() // HAZ defer-eager-evaluation
	data, err := io.ReadAll(body)
	if err != nil {
		c.logger.Printf("objstore: re-reading %s after: %v", src, err)
		body, err = c.open(ctx, src)
		if err != nil {
			return err
		}
		if data, err = io.ReadAll(body); err != nil {
			return err
		}
	}
	return c.PutWithOptionsChecked(ctx, dst, data, PutOptions{})
}

// CopyObjectRetrying copies src to dst, re-reading src once if the first read fails.
func (c *Client) CopyObjectRetrying(ctx context.Context, src, dst string) error {
	body, err := c.open(ctx, src)
	if err != nil {
		return err
	}
	defer func() { body.Close() }()
	data, err := io.ReadAll(body)
	if err != nil {
		body.Close()
		c.logger.Printf("objstore: re-reading %s after: %v", src, err)
		again, err := c.open(ctx, src)
		if err != nil {
			return err
		}
		body = again
		if data, err = io.ReadAll(body); err != nil {
			return err
		}
	}
	return c.PutWithOptionsChecked(ctx, dst, data, PutOptions{})
}

// Delete removes key and counts the request as in flight meanwhile.
func (c *Client) Delete(ctx context.Context, key string) error {
	defer c.trackInflight() // HAZ defer-func-result-not-called
	req, err := c.newRequest(ctx, http.MethodDelete, key, nil, nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// DeleteTracked removes key and counts the request as in flight meanwhile.
func (c *Client) DeleteTracked(ctx context.Context, key string) error {
	done := c.trackInflight()
	defer done()
	req, err := c.newRequest(ctx, http.MethodDelete, key, nil, nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Close releases idle HTTP connections.
func (c *Client) Close() {
	defer c.http.CloseIdleConnections()
	c.logger.Printf("objstore: closing client for %s (%d requests in flight)", c.bucket, c.inflight.Load())
}
