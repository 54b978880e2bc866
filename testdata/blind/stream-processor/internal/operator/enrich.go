package operator

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/streamproc/internal/record"
)

// Profile is reference data joined onto records by key.
type Profile struct {
	Key    string  `json:"key"`
	Region string  `json:"region"`
	Weight float64 `json:"weight"`
}

// Lookup fetches a profile; implementations may be slow.
type Lookup func(key string) (Profile, error)

// Enricher joins records with profiles, caching hits.
type Enricher struct {
	lookup  Lookup
	timeout time.Duration

	mu    sync.Mutex
	cache map[string]Profile
}

// NewEnricher returns an enricher with a per-lookup timeout.
func NewEnricher(lookup Lookup, timeout time.Duration) *Enricher {
	return &Enricher{lookup: lookup, timeout: timeout, cache: make(map[string]Profile)}
}

type lookupResult struct {
	p   Profile
	err error
}

func (e *Enricher) cached(key string) (Profile, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.cache[key]
	return p, ok
}

func (e *Enricher) remember(p Profile) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cache[p.Key] = p
}

// profileFor looks a key up, giving up after the timeout.
func (e *Enricher) profileFor(ctx context.Context, key string) (Profile, error) {
	if p, ok := e.cached(key); ok {
		return p, nil
	}
	ch := make(chan lookupResult)
	go func() {
		p, err := e.lookup(key)
		ch <- lookupResult{p, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		if res.err == nil {
			e.remember(res.p)
		}
		return res.p, res.err
	case <-time.After(e.timeout):
		return Profile{}, fmt.Errorf("lookup %q: timed out after %s", key, e.timeout)
	case <-ctx.Done():
		return Profile{}, ctx.Err()
	}
}

// profileForBuffered is profileFor with a result channel the abandoned
// goroutine can always send into.
func (e *Enricher) profileForBuffered(ctx context.Context, key string) (Profile, error) {
	if p, ok := e.cached(key); ok {
		return p, nil
	}
	ch := make(chan lookupResult, 1)
	go func() {
		p, err := e.lookup(key)
		ch <- lookupResult{p, err}
	}()
	select {
	case res := <-ch:
		if res.err == nil {
			e.remember(res.p)
		}
		return res.p, res.err
	case <-ctx.Done():
		return Profile{}, ctx.Err()
	}
}

// Stage returns the enrichment stage: value is scaled by the profile weight.
// Strict mode uses the unbuffered lookup, the default the buffered one.
func (e *Enricher) Stage(strict bool) Stage {
	get := e.profileForBuffered
	if strict {
		get = e.profileFor
	}
	return func(ctx context.Context, in <-chan record.Record, out chan<- record.Record) error {
		for r := range in {
			p, err := get(ctx, r.Key)
			if err != nil {
				return err
			}
			r.Value *= p.Weight
			select {
			case out <- r:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
}

// SchemaClient reads record schemas from a schema registry over HTTP.
type SchemaClient struct {
	base     string
	cacheDir string
	hc       *http.Client
}

// NewSchemaClient returns a client for the registry at base.
func NewSchemaClient(base, cacheDir string) *SchemaClient {
	return &SchemaClient{base: base, cacheDir: cacheDir, hc: &http.Client{Timeout: 5 * time.Second}}
}

// Schema is a registered schema version.
type Schema struct {
	Subject string          `json:"subject"`
	Version int             `json:"version"`
	Fields  json.RawMessage `json:"fields"`
}

// Latest returns the newest schema of subject.
func (c *SchemaClient) Latest(subject string) (*Schema, error) {
	resp, err := c.hc.Get(c.base + "/subjects/" + url.PathEscape(subject) + "/versions/latest")
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", subject, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("schema %s: %s", subject, resp.Status)
	}
	var s Schema
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Version returns one version of subject, honouring ctx.
func (c *SchemaClient) Version(ctx context.Context, subject string, v int) (*Schema, error) {
	u := fmt.Sprintf("%s/subjects/%s/versions/%d", c.base, url.PathEscape(subject), v)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("schema %s v%d: %s", subject, v, resp.Status)
	}
	var s Schema
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return nil, err
	}
	return &s, nil
}

// LoadCached reads a schema from the gzip-compressed on-disk cache.
func (c *SchemaClient) LoadCached(subject string) (*Schema, error) {
	f, err := os.Open(filepath.Join(c.cacheDir, subject+".json.gz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("schema cache %s: %w", subject, err)
	}
	var s Schema
	if err := json.NewDecoder(zr).Decode(&s); err != nil {
		return nil, err
	}
	return &s, nil
}

// StoreCached writes s into the cache; the gzip stream and the file are
// closed in order with both errors returned.
func (c *SchemaClient) StoreCached(s *Schema) (err error) {
	f, err := os.Create(filepath.Join(c.cacheDir, s.Subject+".json.gz"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}
