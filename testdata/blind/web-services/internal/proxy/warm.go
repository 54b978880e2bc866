//go:build go1.21

package proxy

import (
	"net/http"
	"sync"
)

// WarmAll opens a keep-alive connection to every backend in parallel so the
// first real requests do not pay for the handshake.
func (p *Pool) WarmAll(client *http.Client) int {
	var wg sync.WaitGroup
	started := 0
	for _, b := range p.snapshot() {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			warm(client, b)
		}()
		started++
	}
	wg.Wait()
	return started
}

// WarmAllArg passes the backend as an argument, so each goroutine has its
// own copy even under the pre-1.22 loop semantics of this file.
func (p *Pool) WarmAllArg(client *http.Client) {
	var wg sync.WaitGroup
	for _, b := range p.snapshot() {
		wg.Add(1)
		go func(b *Backend) {
			defer wg.Done()
			warm(client, b)
		}(b)
	}
	wg.Wait()
}

// WarmAllCopy shadows the loop variable.
func (p *Pool) WarmAllCopy(client *http.Client) {
	var wg sync.WaitGroup
	for _, b := range p.snapshot() {
		b := b
		wg.Add(1)
		go func() {
			defer wg.Done()
			warm(client, b)
		}()
	}
	wg.Wait()
}

func warm(client *http.Client, b *Backend) {
	req, err := http.NewRequest(http.MethodHead, b.URL.String(), nil)
	if err != nil {
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		b.markFailed(3)
		return
	}
	resp.Body.Close()
	b.markUp()
}
