package shipper

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// permanentError marks a failure that retrying cannot fix (4xx).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Uploader posts gzip'd batches to the ingest endpoint with retries.
type Uploader struct {
	Endpoint    string
	Client      *http.Client
	Timeout     time.Duration
	MaxAttempts int
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	Log         *log.Logger
	// OnResult, when set, is told the outcome of every batch.
	OnResult func(id uint64, err error)

	attempts atomic.Int64
	failures atomic.Int64
	probes   atomic.Int64
}

func encodeBatch(b Batch) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	enc := json.NewEncoder(zw)
	for _, l := range b.Lines {
		if err := enc.Encode(l); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}

// Upload sends one batch, retrying transient failures with exponential backoff.
func (u *Uploader) Upload(ctx context.Context, b Batch) error {
	body, err := encodeBatch(b)
	if err != nil {
		return err
	}
	if err := u.send(ctx, body); err != nil {
		return fmt.Errorf("upload batch %d: %w", b.ID, err)
	}
	return nil
}

func (u *Uploader) send(ctx context.Context, body []byte) error {
	backoff := u.BaseBackoff
	for attempt := 1; ; attempt++ {
		err := u.post(ctx, body)
		if err == nil {
			return nil
		}
		u.failures.Add(1)
		var pe *permanentError
		if errors.As(err, &pe) || attempt >= u.MaxAttempts {
			return err
		}
		u.Log.Printf("upload attempt %d failed: %v (retry in ~%s)", attempt, err, backoff)
		timer := time.NewTimer(jitter(backoff))
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		backoff = min(backoff*2, u.MaxBackoff)
	}
}

func (u *Uploader) post(ctx context.Context, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, u.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.Endpoint, bytes.NewReader(body))
	if err != nil {
		return &permanentError{err}
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Content-Encoding", "gzip")
	u.attempts.Add(1)
	resp, err := u.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // ok: after the error check
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("ingest: %s", resp.Status)
	default:
		return &permanentError{fmt.Errorf("ingest: %s", resp.Status)}
	}
}

// Probe checks that the ingest endpoint answers before the spool is drained.
func (u *Uploader) Probe(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u.Endpoint, nil)
	if err != nil {
		return err
	}
	resp, err := u.Client.Do(req)
	u.probes.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("probe %s: %w", u.Endpoint, err)
	}
	if resp.StatusCode >= 500 {
		return fmt.Errorf("probe %s: %s", u.Endpoint, resp.Status)
	}
	return nil
}

func (u *Uploader) report(id uint64, err error) {
	if u.OnResult != nil {
		u.OnResult(id, err)
	}
}

// ShipBatch uploads b, or spools it to disk for a later DrainSpool when the
// upload fails.
func (u *Uploader) ShipBatch(ctx context.Context, b Batch, spoolDir string) error {
	var err error
	defer u.report(b.ID, err) // HAZ defer-eager-evaluation
	if err = u.Upload(ctx, b); err == nil {
		return nil
	}
	u.Log.Printf("spooling batch %d: %v", b.ID, err)
	_, err = writeSpool(spoolDir, b)
	return err
}

// ShipOrSpool is ShipBatch with the outcome reported at exit time.
func (u *Uploader) ShipOrSpool(ctx context.Context, b Batch, spoolDir string) (err error) {
	defer func() { u.report(b.ID, err) }() // ok: the closure reads the named result at exit
	if err = u.Upload(ctx, b); err == nil {
		return nil
	}
	_, err = writeSpool(spoolDir, b)
	return err
}

// DrainSpool uploads spooled batches oldest first and removes each file once
// it has been accepted.
func (u *Uploader) DrainSpool(ctx context.Context, dir string) error {
	files, err := pendingSpool(dir)
	if err != nil {
		return err
	}
	for i, p := range files {
		if err := u.drainOne(ctx, p); err != nil {
			if werr := writeManifest(dir, files[i:]); werr != nil {
				u.Log.Printf("write manifest: %v", werr)
			}
			return err
		}
	}
	if err := os.Remove(filepath.Join(dir, "MANIFEST")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func (u *Uploader) drainOne(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-ineffective-return
	body, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	if err = u.send(ctx, body); err != nil {
		return err
	}
	return os.Remove(path)
}
