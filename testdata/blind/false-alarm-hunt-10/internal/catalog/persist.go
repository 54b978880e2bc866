package catalog

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// Load reads a catalog written by Save. A missing file yields an empty
// catalog.
func Load(path string, logger *log.Logger) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return New(logger), nil
		}
		return nil, err
	}
	defer f.Close()

	var entries []Entry
	if err := json.NewDecoder(bufio.NewReader(f)).Decode(&entries); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	c := New(logger)
	tx := c.Begin()
	defer tx.Commit()
	for _, e := range entries {
		tx.Put(e)
	}
	return c, nil
}

// Save writes the catalog to path atomically (temp file, fsync, rename).
func (c *Catalog) Save(path string) (err error) {
	entries := c.Snapshot()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".catalog-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()

	bw := bufio.NewWriter(tmp)
	if err := json.NewEncoder(bw).Encode(entries); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteKeys writes one key per line, for shell tooling.
func (c *Catalog) WriteKeys(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.WriteString(f, strings.Join(c.Keys(), "\n")+"\n")
	return err
}

// WriteDigests writes "digest  key" lines in the sha256sum format.
func (c *Catalog) WriteDigests(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for _, e := range c.Snapshot() {
		if _, err := fmt.Fprintf(bw, "%s  %s\n", e.Digest, e.Key); err != nil {
			return err
		}
	}
	return bw.Flush()
}
