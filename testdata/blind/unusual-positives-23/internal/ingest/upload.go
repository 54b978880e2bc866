package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// AuditLog records the outcome of operations.
type AuditLog struct {
	mu      sync.Mutex
	entries []string
}

// Record appends one audit line.
func (a *AuditLog) Record(op, target string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	status := "ok"
	if err != nil {
		status = err.Error()
	}
	a.entries = append(a.entries, fmt.Sprintf("%s %s %s %s", time.Now().Format(time.RFC3339), op, target, status))
}

// Entries returns a copy of the audit lines.
func (a *AuditLog) Entries() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.entries...)
}

// Uploader pushes exported files to an object store over HTTP.
type Uploader struct {
	base   string
	client *http.Client
	audit  *AuditLog
	log    *log.Logger
	minGap time.Duration

	mu       sync.Mutex // serialises paced uploads
	last     time.Time
	uploaded []string
	failures map[string]error
}

// NewUploader returns an uploader for the object store at base.
func NewUploader(base string, audit *AuditLog, logger *log.Logger) *Uploader {
	return &Uploader{
		base:     base,
		client:   &http.Client{},
		audit:    audit,
		log:      logger,
		minGap:   200 * time.Millisecond,
		failures: make(map[string]error),
	}
}

// put uploads one file.
func (u *Uploader) put(ctx context.Context, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.base+"/"+filepath.Base(path), bytes.NewReader(data))
	if err != nil {
		return err
	}
	resp, err := u.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("upload %s: %s", path, resp.Status)
	}
	return nil
}

// Upload uploads path and records the outcome in the audit log.
func (u *Uploader) Upload(ctx context.Context, path string) error {
	record := u.audit.Record
	var err error
	defer record("upload", path, err) // HAZ defer-eager-evaluation
	if _, err = os.Stat(path); err != nil {
		return err
	}
	err = u.put(ctx, path)
	return err
}

// UploadAudited is Upload with the audit call reading the final error.
func (u *Uploader) UploadAudited(ctx context.Context, path string) (err error) {
	record := u.audit.Record
	defer func() { record("upload", path, err) }()
	if _, err = os.Stat(path); err != nil {
		return err
	}
	return u.put(ctx, path)
}

// pace sleeps until minGap has passed since the previous upload.
func (u *Uploader) pace() {
	if wait := u.minGap - time.Since(u.last); wait > 0 {
		time.Sleep(wait)
	}
	u.last = time.Now()
}

// UploadPaced uploads path, keeping at least minGap between uploads.
func (u *Uploader) UploadPaced(ctx context.Context, path string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	defer u.pace() // HAZ defer-blocking-call
	if err := u.put(ctx, path); err != nil {
		return err
	}
	u.uploaded = append(u.uploaded, path)
	return nil
}

// Forget drops the recorded failure of path so it can be retried.
func (u *Uploader) Forget(path string) {
	u.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := u.failures[path]; ok {
		delete(u.failures, path)
		u.mu.Unlock()
	}
}

// Failed returns the paths whose last upload failed and clears the list.
func (u *Uploader) Failed() []string {
	u.mu.Lock()
	if len(u.failures) == 0 {
		u.mu.Unlock()
		return nil
	}
	out := make([]string, 0, len(u.failures))
	for p := range u.failures {
		out = append(out, p)
	}
	clear(u.failures)
	u.mu.Unlock()
	return out
}

// finish records the outcome of one background upload.
func (u *Uploader) finish(wg *sync.WaitGroup, path string, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err != nil {
		u.failures[path] = err
		u.log.Printf("upload %s: %v", path, err)
		return
	}
	u.uploaded = append(u.uploaded, path)
	wg.Done() // HAZ waitgroup-done-path
}

// UploadAll uploads every path concurrently and waits for all of them.
func (u *Uploader) UploadAll(ctx context.Context, paths []string) int {
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			err := u.put(ctx, p)
			u.finish(&wg, p, err)
		}()
	}
	wg.Wait()
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.failures)
}

// settle records the outcome of one background upload and releases wg.
func (u *Uploader) settle(wg *sync.WaitGroup, path string, err error) {
	defer wg.Done()
	u.mu.Lock()
	defer u.mu.Unlock()
	if err != nil {
		u.failures[path] = err
		return
	}
	u.uploaded = append(u.uploaded, path)
}

// UploadEach is UploadAll with a completion helper that always releases wg.
func (u *Uploader) UploadEach(ctx context.Context, paths []string) int {
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			u.settle(&wg, p, u.put(ctx, p))
		}()
	}
	wg.Wait()
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.failures)
}
