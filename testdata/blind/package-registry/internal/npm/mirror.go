// Package npm mirrors packages of an npm registry: packuments (the JSON
// document listing a package's versions) are cached in memory and on disk,
// tarballs are downloaded, checked against their shasum, and served locally.
package npm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxPackument bounds a packument; the largest public ones are ~100 MiB.
const maxPackument = 128 << 20

// Packument is the registry document of one package.
type Packument struct {
	Name     string                 `json:"name"`
	DistTags map[string]string      `json:"dist-tags"`
	Versions map[string]VersionMeta `json:"versions"`
	Modified time.Time              `json:"-"`
}

// VersionMeta is the per-version part of a packument.
type VersionMeta struct {
	Version    string `json:"version"`
	Deprecated string `json:"deprecated,omitempty"`
	Dist       Dist   `json:"dist"`
}

// Dist locates and checksums a version's tarball.
type Dist struct {
	Tarball string `json:"tarball"`
	Shasum  string `json:"shasum"`
}

// Mirror is an npm registry mirror.
type Mirror struct {
	registry   string
	fallback   string
	hc         *http.Client
	dir        string
	politeness time.Duration
	log        *log.Logger

	mu         sync.RWMutex
	packuments map[string]*Packument
	onFetched  map[string]func()
	synced     int
	failed     int

	once sync.Once
}

// NewMirror returns a mirror of registry storing tarballs under dir. When a
// package is missing from registry, fallback (if not empty) is asked.
func NewMirror(registry, fallback, dir string, logger *log.Logger) *Mirror {
	return &Mirror{
		registry:   strings.TrimSuffix(registry, "/"),
		fallback:   strings.TrimSuffix(fallback, "/"),
		hc:         &http.Client{Timeout: 2 * time.Minute},
		dir:        dir,
		politeness: 100 * time.Millisecond,
		log:        logger,
		packuments: make(map[string]*Packument),
		onFetched:  make(map[string]func()),
	}
}

// escapeName turns a scoped name into its URL and file-name form.
func escapeName(name string) string {
	return strings.ReplaceAll(name, "/", "%2f")
}

// get issues a GET asking for the abbreviated packument format.
func (m *Mirror) get(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8")
	return m.hc.Do(req)
}

// fetchPackument downloads the packument of name from the registry, or from
// the fallback registry when the primary does not know the package.
func (m *Mirror) fetchPackument(ctx context.Context, name string) (*Packument, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := m.get(ctx, m.registry+"/"+escapeName(name))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // HAZ defer-eager-evaluation
	if resp.StatusCode == http.StatusNotFound && m.fallback != "" {
		resp, err = m.get(ctx, m.fallback+"/"+escapeName(name))
		if err != nil {
			return nil, err
		}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("npm: %s: %s", name, resp.Status)
	}
	var p Packument
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxPackument)).Decode(&p); err != nil {
		return nil, fmt.Errorf("npm: %s: %w", name, err)
	}
	p.Modified = time.Now()
	if lm, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		p.Modified = lm
	}
	return &p, nil
}

// fetchScoped fetches name and runs the hook registered for its scope, if
// any (the metrics exporter counts fetches of "@company/..." packages).
func (m *Mirror) fetchScoped(ctx context.Context, name string) (*Packument, error) {
	scope := ""
	if strings.HasPrefix(name, "@") {
		scope, _, _ = strings.Cut(name, "/")
	}
	m.mu.RLock()
	hook := m.onFetched[scope]
	m.mu.RUnlock()
	defer hook() // HAZ defer-nil-func
	return m.fetchPackument(ctx, name)
}

// fetchPaced is fetchScoped for the bulk sync, which the public registry
// asks mirrors to pace.
func (m *Mirror) fetchPaced(ctx context.Context, name string) (*Packument, error) {
	defer time.Sleep(m.politeness) // HAZ defer-blocking-call
	return m.fetchScoped(ctx, name)
}

// OnFetched registers fn to run after each fetch of a package of scope.
func (m *Mirror) OnFetched(scope string, fn func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onFetched[scope] = fn
}

// Packument returns the cached packument of name, fetching it on a miss or
// when it was marked stale.
func (m *Mirror) Packument(ctx context.Context, name string) (*Packument, error) {
	m.mu.RLock()
	p, ok := m.packuments[name]
	m.mu.RUnlock()
	if ok && !p.Modified.IsZero() {
		return p, nil
	}
	p, err := m.fetchScoped(ctx, name)
	if err != nil {
		return nil, err
	}
	return m.cachePackument(p), nil
}

// cachePackument stores p unless a newer copy is cached, and returns the
// copy that won.
func (m *Mirror) cachePackument(p *Packument) *Packument {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if old, ok := m.packuments[p.Name]; ok && !p.Modified.After(old.Modified) {
		m.mu.Unlock()
		return old
	}
	m.packuments[p.Name] = p
	return p
}

// Forget drops packuments from the cache.
func (m *Mirror) Forget(names ...string) int {
	m.mu.Lock()
	defer m.mu.RUnlock() // HAZ defer-lock-mismatch
	n := 0
	for _, name := range names {
		if _, ok := m.packuments[name]; ok {
			delete(m.packuments, name)
			n++
		}
	}
	return n
}

// MarkStale makes the next request for each name revalidate upstream.
func (m *Mirror) MarkStale(names []string) {
	for _, name := range names {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		if p, ok := m.packuments[name]; ok {
			p.Modified = time.Time{}
		}
	}
}

// Deprecate marks versions of name as deprecated in the mirrored packument
// and records the action in the audit log.
func (m *Mirror) Deprecate(name, message string, versions []string) (err error) {
	defer m.audit("deprecate", name, err) // HAZ defer-eager-evaluation
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.packuments[name]
	if !ok {
		err = fmt.Errorf("npm: %s is not mirrored", name)
		return err
	}
	for _, v := range versions {
		meta, ok := p.Versions[v]
		if !ok {
			err = fmt.Errorf("npm: %s@%s is not mirrored", name, v)
			return err
		}
		meta.Deprecated = message
		p.Versions[v] = meta
	}
	return nil
}

// audit writes one line to the audit log.
func (m *Mirror) audit(action, name string, err error) {
	if err != nil {
		m.log.Printf("audit: %s %s failed: %v", action, name, err)
		return
	}
	m.log.Printf("audit: %s %s", action, name)
}
