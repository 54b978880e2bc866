package shipper

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// writeSpool persists a batch as gzip'd JSON lines so it survives a restart.
func writeSpool(dir string, b Batch) (path string, err error) {
	path = filepath.Join(dir, fmt.Sprintf("batch-%020d.jsonl.gz", b.ID))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	enc := json.NewEncoder(zw)
	for _, l := range b.Lines {
		if err := enc.Encode(l); err != nil {
			return "", err
		}
	}
	return path, nil
}

// gzipFile compresses src into dst.
func gzipFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() // ok: read-only

	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }() // ok: registered first, runs last
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: flushes into out before out is closed

	_, err = io.Copy(zw, in)
	return err
}

// CompressRotated gzips every rotated file matching pattern and removes the
// original once its compressed copy is safely written.
func CompressRotated(pattern string) (int, error) {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range paths {
		if strings.HasSuffix(p, ".gz") {
			continue
		}
		if err := gzipFile(p, p+".gz"); err != nil {
			return n, fmt.Errorf("compress %s: %w", p, err)
		}
		if err := os.Remove(p); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// writeManifest records which spool files are waiting for upload.
func writeManifest(dir string, pending []string) error {
	tmp := filepath.Join(dir, "MANIFEST.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, p := range pending {
		if _, err := fmt.Fprintln(f, filepath.Base(p)); err != nil {
			return err
		}
	}
	return os.Rename(tmp, filepath.Join(dir, "MANIFEST"))
}

// readManifest returns the spool files listed in MANIFEST, oldest first.
func readManifest(dir string) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, "MANIFEST"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only, opened successfully
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name := strings.TrimSpace(sc.Text()); name != "" {
			out = append(out, filepath.Join(dir, name))
		}
	}
	sort.Strings(out)
	return out, sc.Err()
}

// pendingSpool lists spool files, from the manifest when there is one.
func pendingSpool(dir string) ([]string, error) {
	if files, err := readManifest(dir); err != nil || files != nil {
		return files, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "batch-*.jsonl.gz"))
	sort.Strings(files)
	return files, err
}
