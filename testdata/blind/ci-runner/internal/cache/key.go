package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// validKey accepts keys made of [A-Za-z0-9._-], not starting with a dot.
func validKey(key string) bool {
	if key == "" || len(key) > 128 || key[0] == '.' {
		return false
	}
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	return true
}

// Key derives a cache key from prefix and the contents of files (typically
// lockfiles such as go.sum or package-lock.json).
func Key(prefix string, files []string) (string, error) {
	h := sha256.New()
	io.WriteString(h, prefix)
	for _, name := range files {
		err := func() error {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			fmt.Fprintf(h, "\x00%s\x00", filepath.Base(name))
			_, err = io.Copy(h, f)
			return err
		}()
		if err != nil {
			return "", fmt.Errorf("cache key: %w", err)
		}
	}
	return prefix + "-" + hex.EncodeToString(h.Sum(nil))[:24], nil
}

// KeyFromGlobs is Key for every file below root matching one of patterns
// (monorepos have one lockfile per package).
func KeyFromGlobs(prefix, root string, patterns []string) (string, error) {
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join(root, p))
		if err != nil {
			return "", err
		}
		files = append(files, m...)
	}
	sort.Strings(files)

	h := sha256.New()
	io.WriteString(h, prefix)
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer f.Close() // HAZ defer-in-loop
		rel, err := filepath.Rel(root, name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "\x00%s\x00", filepath.ToSlash(rel))
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
	}
	return prefix + "-" + hex.EncodeToString(h.Sum(nil))[:24], nil
}
