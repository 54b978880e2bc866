package config

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

const maxConfigBytes = 4 << 20

// Loader reads route tables from a file or from the control plane.
type Loader struct {
	path   string
	client *http.Client
}

// NewLoader returns a loader for path; client may be nil.
func NewLoader(client *http.Client, path string) *Loader {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &Loader{path: path, client: client}
}

// LoadFile reads and parses the local route file.
func (l *Loader) LoadFile() (*Config, error) {
	data, err := os.ReadFile(l.path)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

func (l *Loader) get(ctx context.Context, url, etag string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	return l.client.Do(req)
}

// LoadRemote fetches the route table from the control plane.
func (l *Loader) LoadRemote(ctx context.Context, url string) (*Config, error) {
	resp, err := l.get(ctx, url, "")
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("fetch routes: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch routes: %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxConfigBytes))
	if err != nil {
		return nil, err
	}
	return Parse(body)
}

// LoadRemoteIfChanged is LoadRemote with a conditional request; it returns
// nil, "", nil when the table did not change.
func (l *Loader) LoadRemoteIfChanged(ctx context.Context, url, etag string) (*Config, string, error) {
	resp, err := l.get(ctx, url, etag)
	if err != nil {
		return nil, "", fmt.Errorf("fetch routes: %w", err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return nil, etag, nil
	case http.StatusOK:
	default:
		return nil, "", fmt.Errorf("fetch routes: %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxConfigBytes))
	if err != nil {
		return nil, "", err
	}
	cfg, err := Parse(body)
	if err != nil {
		return nil, "", err
	}
	return cfg, resp.Header.Get("ETag"), nil
}

// ParseWithDeadline parses a large route table but gives up at the deadline
// of ctx; the worker finishes in the background and its result is dropped.
func ParseWithDeadline(ctx context.Context, data []byte) (*Config, error) {
	type result struct {
		cfg *Config
		err error
	}
	ch := make(chan result, 1)
	go func() {
		cfg, err := Parse(data)
		ch <- result{cfg, err}
	}()
	select {
	case r := <-ch:
		return r.cfg, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// LoadRemoteAll fetches the route tables of several control-plane regions
// and merges their routes; a later region wins on a name clash.
func (l *Loader) LoadRemoteAll(ctx context.Context, urls []string) (*Config, error) {
	merged := &Config{}
	index := make(map[string]int)
	for _, url := range urls {
		resp, err := l.get(ctx, url, "")
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", url, err)
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetch %s: %s", url, resp.Status)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxConfigBytes))
		if err != nil {
			return nil, err
		}
		cfg, err := Parse(body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", url, err)
		}
		merged.Version = max(merged.Version, cfg.Version)
		for _, r := range cfg.Routes {
			if i, ok := index[r.Name]; ok {
				merged.Routes[i] = r
				continue
			}
			index[r.Name] = len(merged.Routes)
			merged.Routes = append(merged.Routes, r)
		}
	}
	return merged, nil
}

// LoadPreferRemote starts fetching the control plane's table while it reads
// the local file, and returns the remote table when it is newer.
func (l *Loader) LoadPreferRemote(ctx context.Context, url string) (*Config, error) {
	type result struct {
		cfg *Config
		err error
	}
	remote := make(chan result)
	go func() {
		cfg, err := l.LoadRemoteIfChangedOrNil(ctx, url)
		remote <- result{cfg, err} // HAZ goroutine-blocked-send
	}()
	local, err := l.LoadFile()
	if err != nil {
		return nil, fmt.Errorf("local routes: %w", err)
	}
	r := <-remote
	if r.err != nil || r.cfg == nil || r.cfg.Version <= local.Version {
		return local, nil
	}
	return r.cfg, nil
}

// LoadRemoteIfChangedOrNil is LoadRemoteIfChanged without an ETag.
func (l *Loader) LoadRemoteIfChangedOrNil(ctx context.Context, url string) (*Config, error) {
	cfg, _, err := l.LoadRemoteIfChanged(ctx, url, "")
	return cfg, err
}
