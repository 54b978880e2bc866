package backup

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/fah27/internal/store"
)

// Dump writes a manifest with the row counts of tables into dir.
func Dump(ctx context.Context, st *store.Store, dir string, tables []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	counts, err := st.TableCounts(ctx, tables)
	if err != nil {
		return err
	}
	m := Manifest{Tables: append([]string(nil), tables...), Rows: counts, Created: time.Now().UTC()}
	sort.Strings(m.Tables)
	return WriteManifest(filepath.Join(dir, "manifest.json"), m)
}

// Upload PUTs the file at path to url.
func Upload(ctx context.Context, client *http.Client, url, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, f)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("backup: upload %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("backup: upload %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// Prune removes all but the newest keep dumps (*.tsv.gz) in dir and returns
// how many it removed.
func Prune(dir string, keep int) (int, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.tsv.gz"))
	if err != nil {
		return 0, err
	}
	if len(matches) <= keep {
		return 0, nil
	}
	sort.Strings(matches) // names start with a UTC timestamp
	removed := 0
	for _, path := range matches[:len(matches)-keep] {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
