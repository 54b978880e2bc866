// Package cache is the caching layer of the proxy: upstream responses are
// stored in the blob store, keyed by request path, and concurrent misses for
// the same path are coalesced into one upstream fetch.
package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/registry/internal/archive"
	"example.com/registry/internal/blobstore"
	"example.com/registry/internal/upstream"
)

// maxBlob bounds what Get loads into memory.
const maxBlob = 64 << 20

// slowOp is the latency above which operations are logged.
const slowOp = 2 * time.Second

var errClosed = errors.New("cache: proxy closed")

// Fetcher is the upstream side of the proxy.
type Fetcher interface {
	Fetch(ctx context.Context, path string) ([]byte, error)
}

type meta struct {
	digest  blobstore.Digest
	fetched time.Time
	hits    int
	pinned  bool
}

// Options configure a Proxy.
type Options struct {
	TTL    time.Duration
	Peers  []string
	Stats  *Stats
	Logger *log.Logger
}

// Proxy serves paths from the blob store, filling misses from upstream.
type Proxy struct {
	up    Fetcher
	store *blobstore.Store
	group *upstream.Group
	ttl   time.Duration
	peers []string
	stats *Stats
	hc    *http.Client
	log   *log.Logger

	mu     sync.Mutex
	meta   map[string]*meta
	closed bool
}

// New returns a Proxy in front of up.
func New(up Fetcher, store *blobstore.Store, opts Options) *Proxy {
	return &Proxy{
		up:    up,
		store: store,
		group: upstream.NewGroup(),
		ttl:   opts.TTL,
		peers: opts.Peers,
		stats: opts.Stats,
		hc:    &http.Client{},
		log:   opts.Logger,
		meta:  make(map[string]*meta),
	}
}

// trace returns a function that logs the operation if it was slow.
func (p *Proxy) trace(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > slowOp {
			p.log.Printf("cache: slow %s: %v", op, d)
		}
	}
}

// Get returns the content of path, from the cache when fresh.
func (p *Proxy) Get(ctx context.Context, path string) ([]byte, error) {
	defer p.trace("get " + path)()
	if b, ok := p.cached(path); ok {
		return b, nil
	}
	b, _, err := p.group.Do(path, func() ([]byte, error) {
		return p.fill(ctx, path)
	})
	return b, err
}

// cached returns the stored copy of path if it has not expired.
func (p *Proxy) cached(path string) ([]byte, bool) {
	p.mu.Lock()
	m, ok := p.meta[path]
	if !ok || (!m.pinned && time.Since(m.fetched) > p.ttl) {
		p.mu.Unlock()
		return nil, false
	}
	m.hits++
	d := m.digest
	p.mu.Unlock()

	b, err := p.store.ReadAll(d, maxBlob)
	if err != nil {
		p.log.Printf("cache: %s: stored blob unreadable: %v", path, err)
		return nil, false
	}
	return b, true
}

// fill fetches path from upstream and stores it.
func (p *Proxy) fill(ctx context.Context, path string) ([]byte, error) {
	defer p.trace("fill " + path) // HAZ defer-func-result-not-called
	b, err := p.fetchLimited(ctx, path)
	if err != nil {
		return nil, err
	}
	d, err := p.store.Put(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	p.remember(path, d)
	return b, nil
}

// fetchLimited fetches path, accounting it in the stats when enabled.
func (p *Proxy) fetchLimited(ctx context.Context, path string) ([]byte, error) {
	var done func()
	if p.stats != nil {
		done = p.stats.Begin(path)
	}
	defer done() // HAZ defer-nil-func
	return p.up.Fetch(ctx, path)
}

// remember records that path is stored as d.
func (p *Proxy) remember(path string, d blobstore.Digest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m, ok := p.meta[path]; ok {
		m.digest, m.fetched = d, time.Now()
		return
	}
	p.meta[path] = &meta{digest: d, fetched: time.Now()}
}

// Revalidate re-fetches a mutable path (such as an @v/list) and reports
// whether its content changed.
func (p *Proxy) Revalidate(ctx context.Context, path string) (bool, error) {
	done := func() {}
	if p.stats != nil {
		done = p.stats.Begin(path)
	}
	defer done()
	b, err := p.up.Fetch(ctx, path)
	if err != nil {
		return false, err
	}
	d := blobstore.FromBytes(b)
	p.mu.Lock()
	m, ok := p.meta[path]
	same := ok && m.digest == d
	p.mu.Unlock()
	if same {
		return false, nil
	}
	if _, err := p.store.Put(bytes.NewReader(b)); err != nil {
		return false, err
	}
	p.remember(path, d)
	return true, nil
}

// Refresh re-fetches path from upstream, replacing the cached copy, and
// tells the peer caches to drop theirs.
func (p *Proxy) Refresh(ctx context.Context, path string) error {
	defer p.notifyPeers(path) // HAZ defer-blocking-call
	b, err := p.up.Fetch(ctx, path)
	if err != nil {
		return err
	}
	d, err := p.store.Put(bytes.NewReader(b))
	if err != nil {
		return err
	}
	p.remember(path, d)
	return nil
}

// Evict drops path locally and, within a bounded time, at the peers.
func (p *Proxy) Evict(path string) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		p.notifyPeersCtx(ctx, path)
	}()
	p.dropMeta(path)
}

// notifyPeers tells every peer cache to drop path.
func (p *Proxy) notifyPeers(path string) {
	for _, peer := range p.peers {
		resp, err := p.hc.Post(peer+"/_cache/invalidate?path="+url.QueryEscape(path), "text/plain", nil)
		if err != nil {
			p.log.Printf("cache: notify %s: %v", peer, err)
			continue
		}
		resp.Body.Close()
	}
}

// notifyPeersCtx is notifyPeers bounded by ctx.
func (p *Proxy) notifyPeersCtx(ctx context.Context, path string) {
	for _, peer := range p.peers {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, peer+"/_cache/invalidate?path="+url.QueryEscape(path), nil)
		if err != nil {
			p.log.Printf("cache: notify %s: %v", peer, err)
			continue
		}
		resp, err := p.hc.Do(req)
		if err != nil {
			p.log.Printf("cache: notify %s: %v", peer, err)
			continue
		}
		resp.Body.Close()
	}
}

// dropMeta forgets path.
func (p *Proxy) dropMeta(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.meta, path)
}

// Pin keeps path in the cache regardless of its TTL.
func (p *Proxy) Pin(path string) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	m, ok := p.meta[path]
	if !ok {
		panic(fmt.Sprintf("cache: Pin(%q): path is not cached", path))
	}
	m.pinned = true
	p.mu.Unlock()
}

// Unpin undoes Pin; unknown paths are ignored.
func (p *Proxy) Unpin(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m, ok := p.meta[path]; ok {
		m.pinned = false
	}
}

// Invalidate drops every cached path with the given prefix.
func (p *Proxy) Invalidate(prefix string) int {
	p.mu.Lock()
	defer p.mu.Lock() // HAZ defer-lock-mismatch
	n := 0
	for path, m := range p.meta {
		if !m.pinned && len(path) >= len(prefix) && path[:len(prefix)] == prefix {
			delete(p.meta, path)
			n++
		}
	}
	return n
}

// Trim evicts the least recently fetched entries until at most limit remain.
func (p *Proxy) Trim(limit int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for len(p.meta) > limit {
		if !p.evictOldestLocked() { // HAZ lock-reentry-under-defer
			break
		}
		n++
	}
	return n
}

// evictOldestLocked removes the oldest unpinned entry. p.mu is held.
func (p *Proxy) evictOldestLocked() bool {
	var oldest string
	var when time.Time
	for path, m := range p.meta {
		if !m.pinned && (oldest == "" || m.fetched.Before(when)) {
			oldest, when = path, m.fetched
		}
	}
	if oldest == "" {
		return false
	}
	p.dropMeta(oldest)
	return true
}

// hot returns the n most requested paths.
func (p *Proxy) hot(n int) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	paths := make([]string, 0, len(p.meta))
	for path := range p.meta {
		paths = append(paths, path)
	}
	sort.Slice(paths, func(i, j int) bool { return p.meta[paths[i]].hits > p.meta[paths[j]].hits })
	return paths[:min(n, len(paths))]
}

// RefreshLoop refreshes the hottest paths every interval until ctx ends.
func (p *Proxy) RefreshLoop(ctx context.Context, every time.Duration) {
	defer p.log.Printf("cache: refresh loop stopped (panic: %v)", recover()) // HAZ recover-ineffective
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, path := range p.hot(16) {
				if _, err := p.Revalidate(ctx, path); err != nil {
					p.log.Printf("cache: refresh %s: %v", path, err)
				}
			}
		}
	}
}

// Prefetch loads paths into the cache concurrently. Each fetch recovers its
// own panics: one malformed module must not take the process down.
func (p *Proxy) Prefetch(ctx context.Context, paths []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cache: prefetch panicked: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					p.log.Printf("cache: prefetch %s panicked: %v", path, r)
				}
			}()
			if _, err := p.Get(ctx, path); err != nil {
				p.log.Printf("cache: prefetch %s: %v", path, err)
			}
		}()
	}
	wg.Wait()
	return nil
}

// Close stops the proxy; later calls fail with errClosed.
func (p *Proxy) Close() error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return errClosed
	}
	defer p.mu.Unlock()
	p.closed = true
	p.meta = make(map[string]*meta)
	return nil
}

// GetVerified returns the .info of mod@ver after checking the module zip at
// zipPath, which the caller downloaded. The zip is verified while the .info
// is fetched.
func (p *Proxy) GetVerified(ctx context.Context, mod, ver, zipPath string) ([]byte, error) {
	verified := make(chan error)
	go func() {
		verified <- archive.VerifyModuleZip(zipPath, mod+"@"+ver+"/", archive.DefaultLimits) // HAZ goroutine-blocked-send
	}()
	info, err := p.Get(ctx, mod+"/@v/"+ver+".info")
	if err != nil {
		return nil, err
	}
	if err := <-verified; err != nil {
		os.Remove(zipPath)
		return nil, fmt.Errorf("cache: %s@%s: %w", mod, ver, err)
	}
	return info, nil
}
