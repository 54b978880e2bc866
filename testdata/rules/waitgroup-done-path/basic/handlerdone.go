package fixture

import (
	"net/http"
	"net/http/httptest"
	"sync"
)

// ready counts every request: the handler marks the accepted ones, the goroutine the rejected
// ones. The goroutine's path that skips Done is paid by the handler it calls.
func concurrentRequests(limit func(http.Handler) http.Handler, n int) []int {
	release := make(chan struct{})
	var ready sync.WaitGroup
	ready.Add(n)
	handler := limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ready.Done()
		<-release
		w.WriteHeader(http.StatusOK)
	}))
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			codes[i] = rec.Code
			if rec.Code == http.StatusTooManyRequests {
				ready.Done()
			}
		}()
	}
	ready.Wait()
	close(release)
	wg.Wait()
	return codes
}
