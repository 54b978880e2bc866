package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"sync"

	"example.com/etl/fsutil"
)

// Stats counts downloads.
type Stats struct {
	Files, Bytes, Retries int64
}

// Downloader fetches files over HTTP into local paths.
type Downloader struct {
	Client    *http.Client
	Retry     RetryPolicy
	UserAgent string

	mu    sync.RWMutex
	stats Stats
}

func (d *Downloader) client() *http.Client {
	if d.Client != nil {
		return d.Client
	}
	return http.DefaultClient
}

// do sends req with the downloader's headers.
func (d *Downloader) do(req *http.Request) (*http.Response, error) {
	if d.UserAgent != "" {
		req.Header.Set("User-Agent", d.UserAgent)
	}
	return d.client().Do(req)
}

// Fetch downloads rawURL into dst atomically, verifying wantSHA when it is not empty.
func (d *Downloader) Fetch(ctx context.Context, rawURL, dst, wantSHA string) error {
	attempt := 0
	return d.Retry.Do(ctx, func(ctx context.Context) error {
		attempt++
		if attempt > 1 {
			d.countRetry()
		}
		return d.fetchOnce(ctx, rawURL, dst, wantSHA)
	})
}

func (d *Downloader) fetchOnce(ctx context.Context, rawURL, dst, wantSHA string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	resp, err := d.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // ok: after the error check
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return &StatusError{URL: rawURL, Code: resp.StatusCode, Status: resp.Status}
	}
	af, err := fsutil.CreateAtomic(dst, 0o644)
	if err != nil {
		return err
	}
	defer af.Abort()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(af, h), resp.Body)
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); wantSHA != "" && got != wantSHA {
		return fmt.Errorf("transfer: %s: checksum %s, want %s", rawURL, got, wantSHA)
	}
	if err := af.Commit(); err != nil {
		return err
	}
	d.record(n)
	return nil
}

func (d *Downloader) record(n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stats.Files++
	d.stats.Bytes += n
}

func (d *Downloader) countRetry() {
	d.mu.Lock()
	d.stats.Retries++
	d.mu.Unlock()
}

// Stats returns a copy of the counters.
func (d *Downloader) Stats() Stats {
	d.mu.Lock()
	defer d.mu.RUnlock() // HAZ defer-lock-mismatch
	return d.stats
}

// Bytes returns the number of bytes downloaded so far.
func (d *Downloader) Bytes() int64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.stats.Bytes
}

// Size returns the Content-Length reported by a HEAD request.
func (d *Downloader) Size(ctx context.Context, rawURL string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, rawURL, nil)
	if err != nil {
		return 0, err
	}
	resp, err := d.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, &StatusError{URL: rawURL, Code: resp.StatusCode, Status: resp.Status}
	}
	return resp.ContentLength, nil
}

// Reachable reports whether rawURL answers a HEAD request with a 2xx status.
func (d *Downloader) Reachable(ctx context.Context, rawURL string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, rawURL, nil)
	if err != nil {
		return false
	}
	resp, _ := d.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp != nil && resp.StatusCode/100 == 2
}

// Alive is Reachable with the error checked first.
func Alive(ctx context.Context, client *http.Client, rawURL string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, rawURL, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	return resp.StatusCode/100 == 2
}

// FetchResult is the outcome of one download in a batch.
type FetchResult struct {
	URL  string
	Path string
	Err  error
}

func fileNameFor(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || path.Base(u.Path) == "/" || path.Base(u.Path) == "." {
		return fmt.Sprintf("download-%x", sha256.Sum256([]byte(rawURL)))
	}
	return path.Base(u.Path)
}

// FetchAll downloads every URL into dir concurrently and returns when all are done or ctx ends.
func (d *Downloader) FetchAll(ctx context.Context, urls []string, dir string) ([]FetchResult, error) {
	results := make(chan FetchResult, len(urls))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, u := range urls {
		go func() {
			dst := filepath.Join(dir, fileNameFor(u))
			results <- FetchResult{URL: u, Path: dst, Err: d.Fetch(ctx, u, dst, "")}
		}()
	}
	out := make([]FetchResult, 0, len(urls))
	for range urls {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// FetchMany downloads every URL into dir with at most limit concurrent requests.
func (d *Downloader) FetchMany(ctx context.Context, urls []string, dir string, limit int) []FetchResult {
	out := make([]FetchResult, len(urls))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(limit, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				dst := filepath.Join(dir, fileNameFor(urls[i]))
				out[i] = FetchResult{URL: urls[i], Path: dst, Err: d.Fetch(ctx, urls[i], dst, "")}
			}
		}()
	}
	for i := range urls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}
