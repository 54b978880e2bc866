// Package activities contains the built-in activities every worker offers:
// HTTP calls, file output, hashing and TCP checks, plus wrappers that add
// timing and best-effort semantics to user activities.
package activities

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/wfengine/internal/worker"
)

// Config tells the built-in activities where they may write.
type Config struct {
	OutputDir string
	Logger    *log.Logger
	Observe   func(activity string, start, end time.Time)
}

// Register adds the built-in activities to w.
func Register(w *worker.Worker, cfg Config) {
	w.Register("http.call", timed(cfg, "http.call", httpCall))
	w.Register("http.fanout", timed(cfg, "http.fanout", fanoutHTTP))
	w.Register("file.write", func(ctx context.Context, in []byte) ([]byte, error) {
		return writeFile(cfg.OutputDir, in)
	})
	w.Register("file.write_atomic", func(ctx context.Context, in []byte) ([]byte, error) {
		return writeFileAtomic(cfg.OutputDir, in)
	})
	w.Register("hash.files", parallelHash)
	w.Register("tcp.check", tcpCheck)
	w.Register("notify.slack", bestEffort(httpCall))
}

type httpArgs struct {
	Method string            `json:"method"`
	URL    string            `json:"url"`
	Header map[string]string `json:"header,omitempty"`
	Body   json.RawMessage   `json:"body,omitempty"`
}

// httpCall performs one HTTP request and returns status and body.
func httpCall(ctx context.Context, in []byte) ([]byte, error) {
	var a httpArgs
	if err := json.Unmarshal(in, &a); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	if a.Method == "" {
		a.Method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, a.Method, a.URL, bytes.NewReader(a.Body))
	if err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	for k, v := range a.Header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		return nil, fmt.Errorf("%s %s: %s", a.Method, a.URL, resp.Status)
	}
	return json.Marshal(map[string]any{"status": resp.StatusCode, "body": string(body)})
}

// fanoutHTTP calls several URLs concurrently and returns the first 2xx body.
func fanoutHTTP(ctx context.Context, in []byte) ([]byte, error) {
	var a struct {
		URLs []string `json:"urls"`
	}
	if err := json.Unmarshal(in, &a); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	type reply struct {
		body []byte
		err  error
	}
	replies := make(chan reply)
	for _, u := range a.URLs {
		go func() {
			body, err := httpCall(ctx, []byte(fmt.Sprintf(`{"url":%q}`, u)))
			replies <- reply{body, err} // HAZ goroutine-blocked-send
		}()
	}
	var lastErr error
	for range a.URLs {
		select {
		case r := <-replies:
			if r.err == nil {
				return r.body, nil
			}
			lastErr = r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, fmt.Errorf("all %d endpoints failed: %w", len(a.URLs), lastErr)
}

type fileArgs struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// writeFile stores content under the output directory.
func writeFile(dir string, in []byte) ([]byte, error) {
	var a fileArgs
	if err := json.Unmarshal(in, &a); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	path := filepath.Join(dir, filepath.Base(a.Name))
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := io.WriteString(f, a.Content); err != nil {
		return nil, err
	}
	return json.Marshal(map[string]string{"path": path})
}

// writeFileAtomic stores content under the output directory; the file
// appears complete or not at all.
func writeFileAtomic(dir string, in []byte) (out []byte, err error) {
	var a fileArgs
	if err := json.Unmarshal(in, &a); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	path := filepath.Join(dir, filepath.Base(a.Name))
	f, err := os.CreateTemp(dir, ".write-*")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = io.WriteString(f, a.Content); err != nil {
		return nil, err
	}
	if err = f.Sync(); err != nil {
		return nil, err
	}
	if err = f.Close(); err != nil {
		return nil, err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return nil, err
	}
	return json.Marshal(map[string]string{"path": path})
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// parallelHash hashes the given files concurrently.
func parallelHash(ctx context.Context, in []byte) ([]byte, error) {
	var a struct {
		Paths []string `json:"paths"`
	}
	if err := json.Unmarshal(in, &a); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	sums := make(map[string]string, len(a.Paths))
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
	)
	for _, p := range a.Paths {
		wg.Add(1)
		go func() {
			sum, err := hashFile(p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			sums[p] = sum
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return json.Marshal(sums)
}

// tcpCheck verifies that host:port accepts connections.
func tcpCheck(ctx context.Context, in []byte) ([]byte, error) {
	var a struct {
		Addr string `json:"addr"`
	}
	if err := json.Unmarshal(in, &a); err != nil {
		return nil, &worker.NonRetryableError{Err: err}
	}
	var d net.Dialer
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", a.Addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return json.Marshal(map[string]any{"addr": conn.RemoteAddr().String(), "ms": time.Since(start).Milliseconds()})
}

// timed wraps act so that each run is reported to cfg.Observe.
func timed(cfg Config, name string, act worker.Activity) worker.Activity {
	if cfg.Observe == nil {
		return act
	}
	return func(ctx context.Context, in []byte) ([]byte, error) {
		start := time.Now()
		defer cfg.Observe(name, start, time.Now()) // HAZ defer-eager-evaluation
		return act(ctx, in)
	}
}

// bestEffort wraps act so that it never fails the workflow: notifications
// are nice to have.
func bestEffort(act worker.Activity) worker.Activity {
	return func(ctx context.Context, in []byte) (out []byte, err error) {
		defer func() {
			if r := recover(); r != nil { // HAZ recover-swallows-panic
				out, err = nil, nil
			}
		}()
		out, err = act(ctx, in)
		if err != nil {
			return nil, nil
		}
		return out, nil
	}
}
