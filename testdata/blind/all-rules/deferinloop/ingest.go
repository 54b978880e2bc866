// Package ingest loads records from files, databases and remote manifests.
package ingest

import (
	"archive/tar"
	"bufio"
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
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Record is one ingested line.
type Record struct {
	ID   string
	Body []byte
}

// Loader pulls records from the configured sources.
type Loader struct {
	db     *sql.DB
	client *http.Client
	mu     sync.Mutex
	seen   map[string]int
}

// Source describes one upstream endpoint to probe.
type Source struct {
	Kind string
	Addr string
}

type counterSet struct {
	sync.Mutex
	counts map[string]int
}

// ImportFiles reads every file and appends its lines to the record set.
func (l *Loader) ImportFiles(paths []string) ([]Record, error) {
	var out []Record
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", p, err)
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			out = append(out, Record{ID: p, Body: []byte(sc.Text())})
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("scan %s: %w", p, err)
		}
	}
	return out, nil
}

// LoadTenants returns the user names of every tenant.
func (l *Loader) LoadTenants(ctx context.Context, tenantIDs []int64) (map[int64][]string, error) {
	out := make(map[int64][]string, len(tenantIDs))
	for _, id := range tenantIDs {
		rows, err := l.db.QueryContext(ctx, `SELECT name FROM users WHERE tenant_id = $1`, id)
		if err != nil {
			return nil, err
		}
		defer rows.Close() // HAZ defer-in-loop
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return nil, err
			}
			out[id] = append(out[id], name)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MarkSeen bumps the seen counter of every id.
func (l *Loader) MarkSeen(ids []string) {
	for _, id := range ids {
		l.mu.Lock()
		defer l.mu.Unlock() // HAZ defer-in-loop
		l.seen[id]++
	}
}

// FetchManifests downloads every manifest that answers 200.
func (l *Loader) FetchManifests(ctx context.Context, urls []string) ([][]byte, error) {
	var bodies [][]byte
next:
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := l.client.Do(req)
		if err != nil {
			continue next
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			continue next
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		bodies = append(bodies, b)
	}
	return bodies, nil
}

// ExtractNestedArchives decompresses every .gz member of a tar stream.
func ExtractNestedArchives(r io.Reader) (map[string][]byte, error) {
	tr := tar.NewReader(r)
	out := make(map[string][]byte)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(hdr.Name, ".gz") {
			continue
		}
		zr, err := gzip.NewReader(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", hdr.Name, err)
		}
		defer zr.Close() // HAZ defer-in-loop
		b, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", hdr.Name, err)
		}
		out[strings.TrimSuffix(hdr.Name, ".gz")] = b
	}
	return out, nil
}

// DecodeAll decodes one JSON document per file.
func DecodeAll[T any](paths []string) ([]T, error) {
	out := make([]T, 0, len(paths))
	for i := range paths {
		f, err := os.Open(paths[i])
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		var v T
		if err := json.NewDecoder(f).Decode(&v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", paths[i], err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Probe counts the reachable sources.
func (l *Loader) Probe(sources []Source) (int, error) {
	healthy := 0
	for _, src := range sources {
		switch src.Kind {
		case "tcp":
			conn, err := net.Dial("tcp", src.Addr)
			if err != nil {
				continue
			}
			defer conn.Close() // HAZ defer-in-loop
			healthy++
		case "file":
			if _, err := os.Stat(src.Addr); err == nil {
				healthy++
			}
		default:
			return healthy, fmt.Errorf("unknown source kind %q", src.Kind)
		}
	}
	return healthy, nil
}

// Consume reads every queued file until the context ends or the queue closes.
func (l *Loader) Consume(ctx context.Context, jobs <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case path, ok := <-jobs:
			if !ok {
				return nil
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close() // HAZ defer-in-loop
			if _, err := io.Copy(io.Discard, f); err != nil {
				return err
			}
		}
	}
}

// AddAll counts every key.
func (c *counterSet) AddAll(keys []string) {
	for _, k := range keys {
		c.Lock()
		defer c.Unlock() // HAZ defer-in-loop
		c.counts[k]++
	}
}

// SizesListed returns the size of every file named in list, one per line.
func SizesListed(list io.Reader) (map[string]int64, error) {
	sizes := map[string]int64{}
	sc := bufio.NewScanner(list)
	for sc.Scan() {
		name := strings.TrimSpace(sc.Text())
		if name == "" {
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := io.Copy(io.Discard, f)
		if err != nil {
			return nil, err
		}
		sizes[name] = n
	}
	return sizes, sc.Err()
}

// ---- negatives ----

// ImportFilesScoped is ImportFiles with one function scope per file.
func (l *Loader) ImportFilesScoped(paths []string) ([]Record, error) {
	var out []Record
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close() // ok: the func literal returns every iteration
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				out = append(out, Record{ID: p, Body: []byte(sc.Text())})
			}
			return sc.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", p, err)
		}
	}
	return out, nil
}

func (l *Loader) loadTenant(ctx context.Context, id int64) ([]string, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT name FROM users WHERE tenant_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok: not in a loop
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// LoadTenantsScoped delegates each tenant to a helper that owns its rows.
func (l *Loader) LoadTenantsScoped(ctx context.Context, tenantIDs []int64) (map[int64][]string, error) {
	out := make(map[int64][]string, len(tenantIDs))
	for _, id := range tenantIDs {
		names, err := l.loadTenant(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("tenant %d: %w", id, err)
		}
		out[id] = names
	}
	return out, nil
}

// CountLines defers once, before the loop.
func CountLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close() // ok: registered once, outside the loop
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// FetchStatuses closes each body explicitly inside the loop.
func (l *Loader) FetchStatuses(urls []string) (map[string]int, error) {
	out := make(map[string]int, len(urls))
	for _, u := range urls {
		resp, err := l.client.Get(u)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close() // ok: closed every iteration, no defer
		out[u] = resp.StatusCode
	}
	return out, nil
}

// WarmCache loads keys concurrently; each goroutine defers inside its own literal.
func (l *Loader) WarmCache(keys []string, load func(string) ([]byte, error)) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok: inside the goroutine's function literal
			b, err := load(k)
			if err != nil {
				return
			}
			l.mu.Lock()
			l.seen[k] = len(b)
			l.mu.Unlock()
		}()
	}
	wg.Wait()
}

// MarkSeenScoped takes and releases the lock once per id.
func (l *Loader) MarkSeenScoped(ids []string) {
	for _, id := range ids {
		func() {
			l.mu.Lock()
			defer l.mu.Unlock() // ok: scoped to the literal
			l.seen[id]++
		}()
	}
}

func (l *Loader) insertBatch(ctx context.Context, batch []Record) (err error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	for _, r := range batch {
		if _, err = tx.ExecContext(ctx, `INSERT INTO records(id, body) VALUES ($1, $2)`, r.ID, r.Body); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// InsertBatches runs one transaction per batch through a helper.
func (l *Loader) InsertBatches(ctx context.Context, batches [][]Record) error {
	for i, batch := range batches {
		if err := l.insertBatch(ctx, batch); err != nil {
			return fmt.Errorf("batch %d: %w", i, err)
		}
	}
	return nil
}

// TotalSize defers inside the WalkDir callback, which returns per entry.
func TotalSize(root string) (int64, error) {
	var total int64
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close() // ok: callback is its own function
		n, err := io.Copy(io.Discard, f)
		total += n
		return err
	})
	return total, err
}

// ServeRequests handles each request in a scoped literal inside the select.
func (l *Loader) ServeRequests(ctx context.Context, reqs <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case u, ok := <-reqs:
			if !ok {
				return nil
			}
			if err := func() error {
				resp, err := l.client.Get(u)
				if err != nil {
					return err
				}
				defer resp.Body.Close() // ok: scoped to the literal
				_, err = io.Copy(io.Discard, resp.Body)
				return err
			}(); err != nil {
				return err
			}
		}
	}
}

// OpenAll opens every file and closes them all in one deferred loop.
func OpenAll(paths []string, fn func([]*os.File) error) error {
	files := make([]*os.File, 0, len(paths))
	defer func() { // ok: one defer; the loop is inside the deferred function
		for _, f := range files {
			f.Close()
		}
	}()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	return fn(files)
}
