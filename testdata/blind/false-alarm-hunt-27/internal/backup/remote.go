package backup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"example.com/fah27/internal/store"
)

// FetchManifest downloads the manifest of a remote dump.
func FetchManifest(ctx context.Context, client *http.Client, url string) (Manifest, error) {
	var m Manifest
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return m, err
	}
	resp, _ := client.Do(req)
	m.Source = url
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return m, fmt.Errorf("backup: manifest %s: %s", url, resp.Status)
	}
	err = json.NewDecoder(resp.Body).Decode(&m)
	return m, err
}

// Download copies url into a new file under dir and returns its path. The
// partial file is removed on failure.
func Download(ctx context.Context, client *http.Client, url, dir string) (path string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("backup: download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("backup: download %s: %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(dir, "download-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := tmp.Close(); cerr != nil && !errors.Is(cerr, os.ErrClosed) {
			err = errors.Join(err, cerr)
		}
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		return "", err
	}
	return tmp.Name(), tmp.Sync()
}

// RestoreFromURL downloads a snapshot and loads its rows into table.
func RestoreFromURL(ctx context.Context, client *http.Client, st *store.Store, url, table string) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	path, err := Download(ctx, client, url, os.TempDir())
	if err != nil {
		return err
	}
	cleanup = func() { _ = os.Remove(path) }
	rows, err := ReadSnapshotGz(path)
	if err != nil {
		return err
	}
	batch := make([][]any, 0, len(rows))
	for _, r := range rows {
		vals := make([]any, len(r))
		for i, v := range r {
			vals[i] = v
		}
		batch = append(batch, vals)
	}
	return st.BatchInsert(ctx, table, batch)
}

// DumpAll writes one snapshot per table concurrently. Tables that are
// empty are skipped.
func DumpAll(ctx context.Context, st *store.Store, dir string, tables []string) error {
	counts, err := st.TableCounts(ctx, tables)
	if err != nil {
		return err
	}
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	for i, t := range tables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if counts[t] == 0 {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			var b bytesBuffer
			if err := st.ExportEach(ctx, []string{t}, &b); err != nil {
				errs[i] = err
				return
			}
			errs[i] = WriteSnapshotGz(filepath.Join(dir, t+".tsv.gz"), b.rows())
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DumpEach is DumpAll without the skip path bug: every goroutine signals
// completion exactly once through the deferred Done.
func DumpEach(ctx context.Context, st *store.Store, dir string, tables []string) error {
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	for i, t := range tables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b bytesBuffer
			if err := st.ExportEach(ctx, []string{t}, &b); err != nil {
				errs[i] = err
				return
			}
			if len(b.rows()) == 0 {
				return
			}
			errs[i] = WriteSnapshotGz(filepath.Join(dir, t+".tsv.gz"), b.rows())
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
