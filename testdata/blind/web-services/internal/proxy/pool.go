// Package proxy is a round-robin reverse proxy with passive and active
// health tracking.
package proxy

import (
	"errors"
	"log"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Backend is one upstream.
type Backend struct {
	URL *url.URL

	mu      sync.Mutex
	healthy bool
	fails   int
}

// Healthy reports the last known state.
func (b *Backend) Healthy() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.healthy
}

func (b *Backend) markUp() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.healthy = true
	b.fails = 0
}

func (b *Backend) markFailed(threshold int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fails++
	if b.fails >= threshold {
		b.healthy = false
	}
}

// Pool holds the backends.
type Pool struct {
	Logger        *log.Logger
	FailThreshold int

	mu       sync.RWMutex
	backends []*Backend
	next     atomic.Uint64
}

// ErrNoBackend is returned when no backend is usable.
var ErrNoBackend = errors.New("proxy: no healthy backend")

// NewPool parses the upstream URLs.
func NewPool(logger *log.Logger, upstreams []string) (*Pool, error) {
	p := &Pool{Logger: logger, FailThreshold: 3}
	for _, u := range upstreams {
		pu, err := url.Parse(u)
		if err != nil {
			return nil, err
		}
		p.backends = append(p.backends, &Backend{URL: pu, healthy: true})
	}
	return p, nil
}

// Add registers another upstream.
func (p *Pool) Add(u *url.URL) {
	p.mu.Lock()
	defer p.mu.RUnlock() // HAZ defer-lock-mismatch
	p.backends = append(p.backends, &Backend{URL: u, healthy: true})
}

// Remove drops the upstream with the given host.
func (p *Pool) Remove(host string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, b := range p.backends {
		if b.URL.Host == host {
			p.backends = append(p.backends[:i], p.backends[i+1:]...)
			return true
		}
	}
	return false
}

func (p *Pool) snapshot() []*Backend {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return append([]*Backend(nil), p.backends...)
}

// Pick returns the next healthy backend in round-robin order.
func (p *Pool) Pick() (*Backend, error) {
	bs := p.snapshot()
	if len(bs) == 0 {
		return nil, ErrNoBackend
	}
	start := p.next.Add(1)
	for i := 0; i < len(bs); i++ {
		b := bs[(start+uint64(i))%uint64(len(bs))]
		if b.Healthy() {
			return b, nil
		}
	}
	return nil, ErrNoBackend
}

// CheckAll dials every backend once and records reachability.
func (p *Pool) CheckAll(timeout time.Duration) map[string]bool {
	res := make(map[string]bool)
	for _, b := range p.snapshot() {
		conn, err := net.DialTimeout("tcp", b.URL.Host, timeout)
		if err != nil {
			b.markFailed(p.FailThreshold)
			res[b.URL.Host] = false
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		b.markUp()
		res[b.URL.Host] = true
	}
	return res
}

// checkOne dials b and closes the connection straight away.
func (p *Pool) checkOne(b *Backend, timeout time.Duration) bool {
	conn, err := net.DialTimeout("tcp", b.URL.Host, timeout)
	if err != nil {
		b.markFailed(p.FailThreshold)
		return false
	}
	defer conn.Close()
	b.markUp()
	return true
}

// CheckParallel probes every backend concurrently and waits for all.
func (p *Pool) CheckParallel(timeout time.Duration) int {
	var wg sync.WaitGroup
	var up atomic.Int32
	for _, b := range p.snapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p.checkOne(b, timeout) {
				up.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(up.Load())
}

// CheckQuorum probes every backend and stops counting once quorum is up.
func (p *Pool) CheckQuorum(timeout time.Duration, quorum int) bool {
	var wg sync.WaitGroup
	var up atomic.Int32
	for _, b := range p.snapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !p.checkOne(b, timeout) {
				return
			}
			if int(up.Add(1)) == quorum {
				p.Logger.Printf("proxy: quorum of %d reached", quorum)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return int(up.Load()) >= quorum
}

// FirstReachable returns the first backend that accepts a TCP connection.
func (p *Pool) FirstReachable(timeout time.Duration) (*Backend, error) {
	bs := p.snapshot()
	type hit struct {
		b   *Backend
		err error
	}
	hits := make(chan hit, len(bs))
	defer close(hits) // HAZ defer-close-chan-with-sender
	for _, b := range bs {
		go func() {
			conn, err := net.DialTimeout("tcp", b.URL.Host, timeout)
			if err == nil {
				conn.Close()
			}
			hits <- hit{b, err}
		}()
	}
	for range bs {
		if h := <-hits; h.err == nil {
			return h.b, nil
		}
	}
	return nil, ErrNoBackend
}

// FirstReachableSafe leaves the buffered channel open; it is collected once
// the last sender is done.
func (p *Pool) FirstReachableSafe(timeout time.Duration) (*Backend, error) {
	bs := p.snapshot()
	hits := make(chan *Backend, len(bs)) // ok: every sender has a slot, nobody closes
	for _, b := range bs {
		go func() {
			if p.checkOne(b, timeout) {
				hits <- b
			} else {
				hits <- nil
			}
		}()
	}
	for range bs {
		if b := <-hits; b != nil {
			return b, nil
		}
	}
	return nil, ErrNoBackend
}

// Dial opens a raw TCP connection to a healthy backend and sends the
// handshake line.
func (p *Pool) Dial(handshake string, timeout time.Duration) (net.Conn, error) {
	b, err := p.Pick()
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", b.URL.Host, timeout)
	if err != nil {
		b.markFailed(p.FailThreshold)
		return nil, err
	}
	conn.SetWriteDeadline(time.Now().Add(timeout))
	if _, err := conn.Write([]byte(handshake + "\n")); err != nil {
		conn.Close()
		return nil, err
	}
	conn.SetWriteDeadline(time.Time{})
	return conn, nil
}
