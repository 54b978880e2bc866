// Package errcheck contains client code that acquires a resource and defers
// its release, with the error check in the right or in the wrong place.
package errcheck

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sort"
	"sync/atomic"
	"time"
)

// DiffArchives lists entries present in newPath but not in oldPath. The second
// open was copy-pasted: it checks err instead of err2, so on failure newZ is
// nil and the deferred Close panics.
func DiffArchives(oldPath, newPath string) ([]string, error) {
	oldZ, err := zip.OpenReader(oldPath)
	if err != nil {
		return nil, err
	}
	defer oldZ.Close()

	newZ, err2 := zip.OpenReader(newPath)
	if err != nil {
		return nil, err2
	}
	defer newZ.Close() // HAZ defer-before-error-check

	seen := make(map[string]bool, len(oldZ.File))
	for _, f := range oldZ.File {
		seen[f.Name] = true
	}
	var added []string
	for _, f := range newZ.File {
		if !seen[f.Name] {
			added = append(added, f.Name)
		}
	}
	sort.Strings(added)
	return added, nil
}

// FetchManifest only looks at err inside a compound condition; when the GET
// fails resp is nil and evaluating resp.Body at the defer panics.
func FetchManifest(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err == nil && resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("manifest: %s", resp.Status)
	}
	defer resp.Body.Close() // HAZ defer-before-error-check
	return io.ReadAll(resp.Body)
}

// TenantNames checks a shadowed err (the context's) before the defer; the
// query's own err is only looked at afterwards.
func TenantNames(ctx context.Context, db *sql.DB, tenant string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users WHERE tenant = ?", tenant)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("tenant %s: %w", tenant, err)
	}
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}

	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// Upstream is a TCP backend probed for latency.
type Upstream struct {
	dialer net.Dialer
	addr   string
}

// Probe dials through a method value; conn is a nil interface on failure and
// the defer panics before err is examined.
func (u *Upstream) Probe(ctx context.Context) (time.Duration, error) {
	dial := u.dialer.DialContext
	start := time.Now()
	conn, err := dial(ctx, "tcp", u.addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

var healthChecks atomic.Int64

// PingHealth discards the error of an HTTP round trip; on a transport error
// resp is nil.
func PingHealth(c *http.Client, base string) bool {
	req, err := http.NewRequest(http.MethodGet, base+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, _ := c.Do(req)
	healthChecks.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode == http.StatusOK
}

// DecompressedSize defers a closure that closes zr before err is checked; on a
// bad header zr is nil and the Close at exit dereferences nil.
func DecompressedSize(r io.Reader) (int64, error) {
	zr, err := gzip.NewReader(r)
	defer func() { // HAZ defer-before-error-check
		if cerr := zr.Close(); cerr != nil {
			log.Printf("gzip close: %v", cerr)
		}
	}()
	if err != nil {
		return 0, err
	}
	return io.Copy(io.Discard, zr)
}

// Querier is satisfied by *sql.DB, *sql.Conn and *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// LatestVersion queries through an interface and defers rows.Close first.
func LatestVersion(ctx context.Context, q Querier) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1")
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	var v string
	if rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return "", err
		}
	}
	return v, rows.Err()
}

// TailRemote "checks" err but only logs it and falls through; on failure
// resp is nil when the defer evaluates resp.Body.
func TailRemote(c *http.Client, url string, w io.Writer) error {
	resp, err := c.Get(url)
	if err != nil {
		log.Printf("tail %s: %v", url, err)
	}
	defer resp.Body.Close() // HAZ defer-before-error-check
	_, err = io.Copy(w, resp.Body)
	return err
}

// ---- negatives ----

// FetchStatus uses an unusual error name but checks it before the defer.
func FetchStatus(c *http.Client, url string) (int, error) {
	resp, getErr := c.Get(url)
	if getErr != nil {
		return 0, getErr
	}
	defer resp.Body.Close()
	_, err := io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// FirstEntry defers the Close inside the success branch of an err == nil test.
func FirstEntry(path string) (string, bool) {
	zr, err := zip.OpenReader(path)
	if err == nil {
		defer zr.Close()
		if len(zr.File) > 0 {
			return zr.File[0].Name, true
		}
	}
	return "", false
}

// ReadCompressed checks err in a switch before deferring.
func ReadCompressed(r io.Reader) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	switch {
	case errors.Is(err, io.EOF):
		return nil, nil
	case err != nil:
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// HeadSize defers a nil-guarded close before the check; nothing can panic and
// the error is still returned.
func HeadSize(c *http.Client, url string) (int64, error) {
	resp, err := c.Head(url)
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	if err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// ReadBanner checks the dial error, then defers.
func ReadBanner(addr string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", fmt.Errorf("dial %s: %w", addr, err)
	}
	defer conn.Close()
	return bufio.NewReader(conn).ReadString('\n')
}

// CountRows defers cancel between the query and its check; the deferred call
// does not touch rows.
func CountRows(ctx context.Context, db *sql.DB, q string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	rows, err := db.QueryContext(ctx, q)
	defer cancel()
	if err != nil {
		return 0, err
	}
	defer rows.Close()

	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}
