// Package fetch talks to upstream services, archives and the metadata database.
package fetch

import (
	"archive/zip"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync/atomic"
	"time"
)

// Client wraps an HTTP client with counters.
type Client struct {
	http     *http.Client
	requests atomic.Int64
	base     string
}

// Repo reads metadata rows.
type Repo struct {
	db *sql.DB
}

// Item is a catalogue row.
type Item struct {
	ID    int64
	Title string
}

func (c *Client) observe(start time.Time) {
	_ = time.Since(start)
}

var pings atomic.Int64

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// ReadConfig returns the raw configuration file.
func ReadConfig(path string) ([]byte, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// FetchStatus returns the status code of a GET on url.
func (c *Client) FetchStatus(url string) (int, error) {
	resp, err := http.Get(url)
	c.requests.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// GetItem loads one item from the upstream catalogue.
func (c *Client) GetItem(ctx context.Context, id int64) (*Item, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/items/%d", c.base, id), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	c.requests.Add(1)
	defer func() { // HAZ defer-before-error-check
		c.requests.Add(-1)
		resp.Body.Close()
	}()
	if err != nil {
		return nil, fmt.Errorf("get item %d: %w", id, err)
	}
	var it Item
	if err := json.NewDecoder(resp.Body).Decode(&it); err != nil {
		return nil, err
	}
	return &it, nil
}

// ListTitles returns every item title.
func (r *Repo) ListTitles(ctx context.Context) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT title FROM items ORDER BY id`)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var titles []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		titles = append(titles, t)
	}
	return titles, rows.Err()
}

// PingURL reports whether url answers without a server error.
func PingURL(url string) bool {
	resp, _ := http.Get(url)
	pings.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode < 500
}

// Handshake dials addr and reads the banner line.
func Handshake(addr string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	buf := make([]byte, 128)
	n, err := conn.Read(buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// Rename updates the title of one item in a transaction.
func (r *Repo) Rename(ctx context.Context, id int64, title string) error {
	tx, err := r.db.BeginTx(ctx, nil)
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE items SET title = $1 WHERE id = $2`, title, id); err != nil {
		return err
	}
	return tx.Commit()
}

// ListBundle returns the member names of a zip bundle.
func ListBundle(path string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("open bundle: %w", err)
	}
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names, nil
}

// DecompressedSize returns the size of a gzip stream once inflated.
func DecompressedSize(r io.Reader) (int64, error) {
	zr, err := gzip.NewReader(r)
	defer zr.Close() // HAZ defer-before-error-check
	switch {
	case errors.Is(err, io.EOF):
		return 0, nil
	case err != nil:
		return 0, err
	}
	return io.Copy(io.Discard, zr)
}

// ---- negatives ----

// ReadConfigChecked checks the error before deferring the close.
func ReadConfigChecked(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: after the check
	return io.ReadAll(f)
}

// FetchStatusChecked checks the transport error first.
func (c *Client) FetchStatusChecked(u string) (int, error) {
	resp, err := c.http.Get(u)
	if err != nil {
		return 0, fmt.Errorf("get %s: %w", u, err)
	}
	defer resp.Body.Close() // ok
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// Timed records the latency of a request even when it fails.
func (c *Client) Timed(req *http.Request) (int, error) {
	start := time.Now()
	resp, err := c.http.Do(req)
	defer c.observe(start) // ok: the deferred call does not touch resp
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// CountRows checks the error with a switch before deferring.
func (r *Repo) CountRows(ctx context.Context, table string) (int, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT 1 FROM `+table)
	switch {
	case err != nil:
		return 0, err
	}
	defer rows.Close() // ok
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// LoadOptional returns nil when the file does not exist.
func LoadOptional(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close() // ok
	return io.ReadAll(f)
}

// ReadGuarded closes through a nil check, so the early defer is safe.
func ReadGuarded(path string) ([]byte, error) {
	f, err := os.Open(path)
	defer func() {
		if f != nil {
			f.Close() // ok: guarded by the nil check
		}
	}()
	if err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// StatIfPresent only defers on the success branch.
func StatIfPresent(path string) (size int64, ok bool) {
	f, err := os.Open(path)
	if err == nil {
		defer f.Close() // ok: inside the err == nil branch
		st, serr := f.Stat()
		if serr == nil {
			return st.Size(), true
		}
	}
	return 0, false
}

// MustReadManifest panics on a missing manifest; must checks err.
func MustReadManifest(path string) []byte {
	f, err := os.Open(path)
	must(err)
	defer f.Close() // ok: must(err) panics on failure
	b, err := io.ReadAll(f)
	must(err)
	return b
}

// FetchParsed parses the URL and checks each error in turn.
func (c *Client) FetchParsed(raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Get(u.String())
	if err != nil || resp == nil {
		return nil, fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close() // ok
	return io.ReadAll(resp.Body)
}

func setupScratch(dir string) (func(), error) {
	p, err := os.MkdirTemp(dir, "scratch-")
	if err != nil {
		return nil, err
	}
	return func() { os.Remove(p) }, nil
}

// WithScratch checks the setup error before deferring its cleanup.
func WithScratch(dir string, fn func() error) error {
	cleanup, err := setupScratch(dir)
	if err != nil {
		return err
	}
	defer cleanup() // ok
	return fn()
}
