// Package fetch contains HTTP clients, a blob store and user storage: the
// places where a result is used before its error is looked at.
package fetch

import (
	"archive/zip"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// Manifest describes a release.
type Manifest struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	Layers  []string `json:"layers"`
}

// Client talks to the release registry.
type Client struct {
	http      *http.Client
	base      string
	requests  atomic.Int64
	lastProbe time.Time
}

// NewClient builds a registry client.
func NewClient(base string) *Client {
	return &Client{http: &http.Client{Timeout: 10 * time.Second}, base: base}
}

// FetchManifest defers the body close before looking at err: on a transport
// error resp is nil and the deferred resp.Body.Close panics.
func (c *Client) FetchManifest(ctx context.Context, name string) (*Manifest, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/manifests/"+name, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	c.requests.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("fetch manifest %s: %w", name, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch manifest %s: status %s", name, resp.Status)
	}
	var m Manifest
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// FetchManifestChecked is the correct order.
func (c *Client) FetchManifestChecked(ctx context.Context, name string) (*Manifest, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/manifests/"+name, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch manifest %s: %w", name, err)
	}
	defer resp.Body.Close() // ok: err checked above
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch manifest %s: status %s", name, resp.Status)
	}
	var m Manifest
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// Healthy throws the error away; when the registry is unreachable resp is
// nil and the deferred close panics.
func (c *Client) Healthy() bool {
	resp, _ := c.http.Get(c.base + "/healthz")
	c.lastProbe = time.Now()
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode == http.StatusOK
}

// HealthyChecked handles the error first.
func (c *Client) HealthyChecked() bool {
	resp, err := c.http.Get(c.base + "/healthz")
	c.lastProbe = time.Now()
	if err != nil {
		return false
	}
	defer resp.Body.Close() // ok: err checked above
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusOK
}

// FetchWithTimeout defers cancel between the request construction and the
// error check: cancel is not the value produced together with err.
func (c *Client) FetchWithTimeout(ctx context.Context, path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	defer cancel() // ok: unrelated to req
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // ok: err checked above
	return io.ReadAll(resp.Body)
}

// Proxy forwards requests to an upstream.
type Proxy struct {
	upstream string
	client   *http.Client
	log      *log.Logger
}

// ServeHTTP is a handler that closes the upstream body before checking the
// round-trip error.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.upstream+r.URL.Path, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := p.client.Do(out)
	p.log.Printf("proxy %s %s", r.Method, r.URL.Path)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, "upstream unavailable", http.StatusBadGateway)
		return
	}
	w.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(w, resp.Body); err != nil {
		p.log.Printf("proxy copy: %v", err)
	}
}

// ServeChecked is the same handler with the check first.
func (p *Proxy) ServeChecked(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.upstream+r.URL.Path, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := p.client.Do(out)
	if err != nil {
		http.Error(w, "upstream unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close() // ok: err checked above
	w.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(w, resp.Body); err != nil {
		p.log.Printf("proxy copy: %v", err)
	}
}

// Config is a compressed JSON configuration.
type Config struct {
	Listen string `json:"listen"`
}

// ReadCompressedConfig defers the gzip reader's Close before checking the
// error: gzip.NewReader returns a nil *Reader on a bad header, and
// (*gzip.Reader).Close on nil dereferences it.
func ReadCompressedConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only and checked
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var cfg Config
	if err := json.NewDecoder(zr).Decode(&cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// ReadCompressedConfigChecked checks each error before deferring.
func ReadCompressedConfigChecked(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close() // ok: err checked above
	var cfg Config
	if err := json.NewDecoder(zr).Decode(&cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// BlobStore keeps blobs as files under a root directory.
type BlobStore struct {
	root string
	addr string
}

var errUnsupported = errors.New("blobstore: unsupported blob type")

func (s *BlobStore) path(key string) string { return filepath.Join(s.root, filepath.FromSlash(key)) }

// ArchiveEntries opens a zip blob; on a corrupt archive zip.OpenReader
// returns nil and the deferred Close dereferences it.
func (s *BlobStore) ArchiveEntries(key string, verbose bool) (int, error) {
	if strings.HasSuffix(key, ".zip") {
		zr, err := zip.OpenReader(s.path(key))
		defer zr.Close() // HAZ defer-before-error-check
		if verbose {
			log.Printf("blobstore: opened %s", key)
		}
		if err != nil {
			return 0, err
		}
		return len(zr.File), nil
	}
	return 0, errUnsupported
}

// SizeIfPresent defers only inside the success branch.
func (s *BlobStore) SizeIfPresent(key string) int64 {
	f, err := os.Open(s.path(key))
	if err == nil {
		defer f.Close() // ok: guarded by err == nil
		if st, err := f.Stat(); err == nil {
			return st.Size()
		}
	}
	return -1
}

// ReadOptional checks err in a nested branch that always returns.
func (s *BlobStore) ReadOptional(key string) ([]byte, error) {
	f, err := os.Open(s.path(key))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("blobstore: %w", err)
	}
	defer f.Close() // ok: every err != nil path returned
	return io.ReadAll(f)
}

// ReplicateTo dials a peer and defers a closure that closes the connection
// before the dial error is known: on failure conn is a nil interface.
func (s *BlobStore) ReplicateTo(peer, key string) error {
	conn, err := net.DialTimeout("tcp", peer, 3*time.Second)
	defer func() { _ = conn.Close() }() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("replicate %s to %s: %w", key, peer, err)
	}
	f, err := os.Open(s.path(key))
	if err != nil {
		return err
	}
	defer f.Close() // ok
	_, err = io.Copy(conn, f)
	return err
}

// ReplicateToChecked checks the dial error first.
func (s *BlobStore) ReplicateToChecked(peer, key string) error {
	conn, err := net.DialTimeout("tcp", peer, 3*time.Second)
	if err != nil {
		return fmt.Errorf("replicate %s to %s: %w", key, peer, err)
	}
	defer func() { _ = conn.Close() }() // ok: err checked above
	f, err := os.Open(s.path(key))
	if err != nil {
		return err
	}
	defer f.Close() // ok
	_, err = io.Copy(conn, f)
	return err
}

// ServeDebug listens on the debug address; net.Listen returns a nil
// Listener on error and the deferred Close panics.
func (s *BlobStore) ServeDebug(mux http.Handler) error {
	ln, err := net.Listen("tcp", s.addr)
	defer ln.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return http.Serve(ln, mux)
}

// Object is a fetched blob with metadata.
type Object struct {
	Key  string
	Size int64
	Body io.ReadCloser
}

func (s *BlobStore) open(key string) (*Object, error) {
	f, err := os.Open(s.path(key))
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Object{Key: key, Size: st.Size(), Body: f}, nil
}

// CopyObject uses the field path obj.Body in a defer before checking err;
// open returns a nil *Object on failure.
func (s *BlobStore) CopyObject(dst io.Writer, key string) (int64, error) {
	obj, err := s.open(key)
	defer obj.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return io.CopyN(dst, obj.Body, obj.Size)
}

// CopyObjectChecked checks err and then defers on the field path.
func (s *BlobStore) CopyObjectChecked(dst io.Writer, key string) (int64, error) {
	obj, err := s.open(key)
	if err != nil {
		return 0, err
	}
	defer obj.Body.Close() // ok
	return io.CopyN(dst, obj.Body, obj.Size)
}

// WithResource is a generic helper that checks the error before deferring.
func WithResource[T io.Closer](open func() (T, error), use func(T) error) error {
	r, err := open()
	if err != nil {
		return err
	}
	defer r.Close() // ok: err checked above
	return use(r)
}
