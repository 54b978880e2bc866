package leader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
)

// HTTPLeaseClient talks to a small lease service over HTTP.
type HTTPLeaseClient struct {
	base  string
	token string
	hc    *http.Client
}

// NewHTTPLeaseClient returns a client for the service at base.
func NewHTTPLeaseClient(base, token string, hc *http.Client) *HTTPLeaseClient {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &HTTPLeaseClient{base: base, token: token, hc: hc}
}

func (c *HTTPLeaseClient) url(name string) string {
	return c.base + "/leases/" + url.PathEscape(name)
}

// do adds authentication and sends req.
func (c *HTTPLeaseClient) do(req *http.Request) (*http.Response, error) {
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Accept", "application/json")
	return c.hc.Do(req)
}

// Get implements LeaseClient.
func (c *HTTPLeaseClient) Get(ctx context.Context, name string) (Lease, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(name), nil)
	if err != nil {
		return Lease{}, err
	}
	resp, err := c.do(req)
	if err != nil {
		return Lease{}, fmt.Errorf("get lease %s: %w", name, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return Lease{}, ErrNotFound
	default:
		return Lease{}, fmt.Errorf("get lease %s: %s", name, resp.Status)
	}
	var l Lease
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		return Lease{}, fmt.Errorf("decode lease %s: %w", name, err)
	}
	return l, nil
}

// Update implements LeaseClient.
func (c *HTTPLeaseClient) Update(ctx context.Context, name string, l Lease) error {
	body, err := json.Marshal(l)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.url(name), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.do(req)
	if err != nil {
		return fmt.Errorf("update lease %s: %w", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusConflict {
		return ErrLeaseLost
	}
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("update lease %s: %s: %s", name, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

// Release implements LeaseClient.
func (c *HTTPLeaseClient) Release(ctx context.Context, name, holder string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.url(name), nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Lease-Holder", holder)
	resp, err := c.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotFound {
		return fmt.Errorf("release lease %s: %s", name, resp.Status)
	}
	return nil
}

// FileLeaseStore keeps leases as JSON files, for single-host development.
type FileLeaseStore struct {
	dir string
	mu  sync.Mutex
}

// NewFileLeaseStore stores leases below dir.
func NewFileLeaseStore(dir string) *FileLeaseStore { return &FileLeaseStore{dir: dir} }

func (s *FileLeaseStore) path(name string) string {
	return filepath.Join(s.dir, filepath.Base(name)+".lease")
}

// Get implements LeaseClient. The file is opened read-only.
func (s *FileLeaseStore) Get(_ context.Context, name string) (Lease, error) {
	f, err := os.Open(s.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return Lease{}, ErrNotFound
	}
	if err != nil {
		return Lease{}, err
	}
	defer f.Close()
	var l Lease
	if err := json.NewDecoder(f).Decode(&l); err != nil {
		return Lease{}, fmt.Errorf("lease %s: %w", name, err)
	}
	return l, nil
}

// Update implements LeaseClient: write a temp file, sync and close it with
// checked errors, then rename it over the lease. The deferred Close only
// matters on the error paths.
func (s *FileLeaseStore) Update(_ context.Context, name string, l Lease) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tmp, err := os.CreateTemp(s.dir, "."+filepath.Base(name)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := json.NewEncoder(tmp).Encode(l); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path(name))
}

// Release implements LeaseClient.
func (s *FileLeaseStore) Release(ctx context.Context, name, holder string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.Get(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if cur.Holder != holder {
		return fmt.Errorf("release %s: held by %s, not %s", name, cur.Holder, holder)
	}
	return os.Remove(s.path(name))
}

// GetAll fetches several leases for the status page.
func (c *HTTPLeaseClient) GetAll(ctx context.Context, names []string) (map[string]Lease, error) {
	out := make(map[string]Lease, len(names))
	for _, name := range names {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(name), nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.do(req)
		if err != nil {
			return nil, fmt.Errorf("get lease %s: %w", name, err)
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode == http.StatusNotFound {
			continue
		}
		var l Lease
		if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
			return nil, fmt.Errorf("decode lease %s: %w", name, err)
		}
		out[name] = l
	}
	return out, nil
}

// GetEach is GetAll through Get, whose deferred Close runs per lease.
func (c *HTTPLeaseClient) GetEach(ctx context.Context, names []string) (map[string]Lease, error) {
	out := make(map[string]Lease, len(names))
	for _, name := range names {
		l, err := c.Get(ctx, name)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[name] = l
	}
	return out, nil
}
