// Package fetch downloads documents over HTTP with retries and callbacks.
package fetch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/legacystyle/internal/logx"
)

// DoneFunc is told about every finished request.
type DoneFunc func(url string, status int, err error)

// Fetcher is an HTTP client with retry and a completion callback.
type Fetcher struct {
	client  *http.Client
	ua      string
	retries int
	backoff time.Duration
	onDone  DoneFunc
}

// NewFetcher returns a Fetcher with the given per-request timeout.
func NewFetcher(timeout time.Duration, onDone DoneFunc) *Fetcher {
	return &Fetcher{
		client:  &http.Client{Timeout: timeout},
		ua:      "legacystyle-fetch/1.0",
		retries: 3,
		backoff: 200 * time.Millisecond,
		onDone:  onDone,
	}
}

// Notify reports a finished request to the callback, if any.
func (f *Fetcher) Notify(url string, status int, err error) {
	if f.onDone != nil {
		f.onDone(url, status, err)
	}
}

// Get returns the body of url.
func (f *Fetcher) Get(url string) ([]byte, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.ua)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch: %s: %s", url, resp.Status)
	}
	return ioutil.ReadAll(resp.Body)
}

// GetWithRetry retries Get with a growing pause.
func (f *Fetcher) GetWithRetry(url string) ([]byte, error) {
	defer logx.Trace("fetch.GetWithRetry") // HAZ defer-func-result-not-called
	var lastErr error
	pause := f.backoff
	for attempt := 0; attempt <= f.retries; attempt++ {
		b, err := f.Get(url)
		if err == nil {
			return b, nil
		}
		lastErr = err
		time.Sleep(pause)
		pause *= 2
	}
	return nil, lastErr
}

// GetTraced is Get wrapped in a trace span.
func (f *Fetcher) GetTraced(url string) ([]byte, error) {
	defer logx.Trace("fetch.GetTraced")()
	return f.Get(url)
}

// politeGet fetches url and then waits so that the next request to the same
// host does not hammer it.
func (f *Fetcher) politeGet(url string) ([]byte, error) {
	defer time.Sleep(f.backoff) // HAZ defer-blocking-call
	return f.Get(url)
}

// Crawl fetches urls one after another, politely.
func (f *Fetcher) Crawl(urls []string) map[string][]byte {
	out := make(map[string][]byte, len(urls))
	for _, u := range urls {
		if b, err := f.politeGet(u); err == nil {
			out[u] = b
		}
	}
	return out
}

// do sends a bodiless request with the fetcher's headers.
func (f *Fetcher) do(method, url string) (*http.Response, error) {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.ua)
	return f.client.Do(req)
}

// Head returns the status code of url.
func (f *Fetcher) Head(url string) (int, error) {
	resp, err := f.do("HEAD", url)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

var statusRequests int64

// FetchStatus returns the status code of url, or 0.
func FetchStatus(url string) int {
	resp, _ := http.Get(url)
	atomic.AddInt64(&statusRequests, 1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// Status is FetchStatus with the error checked first.
func Status(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(ioutil.Discard, resp.Body)
	return resp.StatusCode, nil
}

// FetchAll fetches every url and returns the bodies it got.
func (f *Fetcher) FetchAll(urls []string) map[string][]byte {
	out := make(map[string][]byte, len(urls))
	for _, u := range urls {
		resp, err := f.client.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		b, err := ioutil.ReadAll(resp.Body)
		if err == nil {
			out[u] = b
		}
	}
	return out
}

// FetchAllSafe is FetchAll with each body closed at the end of its own
// iteration by a function literal.
func (f *Fetcher) FetchAllSafe(urls []string) map[string][]byte {
	out := make(map[string][]byte, len(urls))
	for _, u := range urls {
		func() {
			resp, err := f.client.Get(u)
			if err != nil {
				return
			}
			defer resp.Body.Close()
			if b, err := ioutil.ReadAll(resp.Body); err == nil {
				out[u] = b
			}
		}()
	}
	return out
}

// FetchFirst returns the first body that arrives within d. The channel has a
// slot per sender, so the losers never block.
func (f *Fetcher) FetchFirst(urls []string, d time.Duration) ([]byte, error) {
	type res struct {
		b   []byte
		err error
	}
	ch := make(chan res, len(urls))
	for _, u := range urls {
		go func(u string) {
			b, err := f.Get(u)
			ch <- res{b, err}
		}(u)
	}
	deadline := time.After(d)
	var lastErr error
	for range urls {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.b, nil
			}
			lastErr = r.err
		case <-deadline:
			return nil, fmt.Errorf("fetch: no answer within %v", d)
		}
	}
	return nil, lastErr
}

// FetchParallel fetches every url concurrently and waits for all of them.
func (f *Fetcher) FetchParallel(urls []string) map[string][]byte {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string][]byte, len(urls))
	)
	for _, u := range urls {
		u := u
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := f.Get(u)
			if err != nil {
				return
			}
			mu.Lock()
			out[u] = b
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// GetLogged fetches url and reports the final outcome to the callback.
func (f *Fetcher) GetLogged(url string) (b []byte, err error) {
	defer func() {
		status := http.StatusOK
		if err != nil {
			status = 0
		}
		f.Notify(url, status, err)
	}()
	b, err = f.Get(url)
	return b, err
}

// GetTimed fetches url and reports the outcome to the callback.
func (f *Fetcher) GetTimed(url string) ([]byte, error) {
	var err error
	defer f.Notify(url, 0, err) // HAZ defer-eager-evaluation
	var b []byte
	b, err = f.Get(url)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// PostJSON posts v as JSON to url.
func PostJSON(client *http.Client, url string, v interface{}) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("fetch: POST %s: %s", url, resp.Status)
	}
	return nil
}

// Download saves url to path, reporting a failed close of the file.
func (f *Fetcher) Download(url, path string) (err error) {
	resp, err := f.client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, resp.Body)
	return err
}
