package watch

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// load reads the watched file; it returns a nil Config when the file has
// not changed since the last successful load.
func (w *Watcher) load() (Config, time.Time, error) {
	f, err := os.Open(w.path)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}

	w.mu.RLock()
	seen := w.modTime
	w.mu.RUnlock()
	if st.ModTime().Equal(seen) {
		return nil, seen, nil
	}

	cfg, err := ParseEnv(f)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("watch: %s: %w", w.path, err)
	}
	return cfg, st.ModTime(), nil
}

// ParseEnv parses KEY=VALUE lines; blank lines and # comments are skipped.
func ParseEnv(r io.Reader) (Config, error) {
	cfg := Config{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: missing '='", n)
		}
		cfg[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return cfg, sc.Err()
}

// ReadOverlay reads an optional overlay file; a missing file is empty.
func ReadOverlay(path string) (Config, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Config{}, nil
		}
		return nil, err
	}
	return ParseEnv(f)
}

// LoadDir merges every *.env file of dir in name order.
func LoadDir(dir string) (Config, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	cfg := Config{}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".env" {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		part, err := ParseEnv(f)
		if err != nil {
			return nil, fmt.Errorf("watch: %s: %w", e.Name(), err)
		}
		maps.Copy(cfg, part)
	}
	return cfg, nil
}

// LoadFiles merges the given files in order; each file is closed before the
// next one is opened.
func LoadFiles(paths ...string) (Config, error) {
	cfg := Config{}
	for _, p := range paths {
		part, err := func() (Config, error) {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return ParseEnv(f)
		}()
		if err != nil {
			return nil, fmt.Errorf("watch: %s: %w", p, err)
		}
		maps.Copy(cfg, part)
	}
	return cfg, nil
}

// WriteSnapshot writes cfg to path in KEY=VALUE form, sorted by key.
func WriteSnapshot(path string, cfg Config) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, k := range slices.Sorted(maps.Keys(cfg)) {
		if _, err := fmt.Fprintf(f, "%s=%s\n", k, cfg[k]); err != nil {
			return err
		}
	}
	return nil
}

// SaveAtomic writes cfg to a temporary file and renames it over path, so
// readers never see a partial file.
func SaveAtomic(path string, cfg Config) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".snapshot-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	for _, k := range slices.Sorted(maps.Keys(cfg)) {
		if _, err = fmt.Fprintf(bw, "%s=%s\n", k, cfg[k]); err != nil {
			return err
		}
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
