package worker

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
)

// CheckEndpoints probes every URL concurrently with HEAD and returns the
// ones that failed or answered 5xx, sorted.
func CheckEndpoints(ctx context.Context, client *http.Client, urls []string) []string {
	var wg sync.WaitGroup
	failed := make(chan string, len(urls))
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
			if err != nil {
				failed <- u
				return
			}
			resp, err := client.Do(req)
			if err != nil {
				failed <- u
				return
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				failed <- u
			}
			wg.Done() // HAZ waitgroup-done-path
		}(u)
	}
	wg.Wait()
	close(failed)

	var out []string
	for u := range failed {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// WarmUp opens a connection to every endpoint so that the first deliveries
// do not pay for TLS handshakes. Best effort: it returns how many answered.
func WarmUp(ctx context.Context, client *http.Client, urls []string) int {
	var (
		wg sync.WaitGroup
		ok atomic.Int32
	)
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
			if err != nil {
				return
			}
			resp, err := client.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			ok.Add(1)
		}(u)
	}
	wg.Wait()
	return int(ok.Load())
}
