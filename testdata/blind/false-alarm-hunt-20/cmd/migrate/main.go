// Command migrate applies pending JSON data migrations to the data directory.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type state struct {
	Applied []string `json:"applied"`
}

// acquireLock creates the lock file; it fails if another run holds it.
func acquireLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("another migration is running (%s): %w", path, err)
	}
	return f, nil
}

// releaseLock closes and removes the lock file.
func releaseLock(f *os.File) {
	name := f.Name()
	if err := f.Close(); err != nil {
		log.Printf("migrate: closing lock: %v", err)
	}
	if err := os.Remove(name); err != nil {
		log.Printf("migrate: removing lock: %v", err)
	}
}

func loadState(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var st state
	if err := json.NewDecoder(f).Decode(&st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	applied := make(map[string]bool, len(st.Applied))
	for _, name := range st.Applied {
		applied[name] = true
	}
	return applied, nil
}

func saveState(path string, applied map[string]bool) error {
	st := state{}
	for name := range applied {
		st.Applied = append(st.Applied, name)
	}
	sort.Strings(st.Applied)
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// pending lists the migrations in dir not yet applied, in name order.
func pending(dir string, applied map[string]bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && !applied[e.Name()] {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

func main() {
	dir := flag.String("dir", "migrations", "migration directory")
	statePath := flag.String("state", "data/migrate.state", "applied-migrations file")
	dryRun := flag.Bool("n", false, "list pending migrations only")
	flag.Parse()

	lock, err := acquireLock(*statePath + ".lock")
	if err != nil {
		log.Fatalf("migrate: %v", err)
	}
	defer releaseLock(lock)

	applied, err := loadState(*statePath)
	if err != nil {
		log.Fatalf("migrate: %v", err) // HAZ exit-skips-defer
	}
	todo, err := pending(*dir, applied)
	if err != nil {
		log.Printf("migrate: %v", err)
		return
	}
	sums, err := checksums(*dir, todo)
	if err != nil {
		log.Printf("migrate: %v", err)
		return
	}
	for _, name := range todo {
		if *dryRun {
			fmt.Println("pending:", name)
			continue
		}
		log.Printf("migrate: applying %s (sha256 %s)", filepath.Join(*dir, name), sums[name])
		applied[name] = true
		if err := saveState(*statePath, applied); err != nil {
			log.Printf("migrate: recording %s: %v", name, err)
			return
		}
	}
}

// checksums returns the SHA-256 of each pending migration file, so the log
// records exactly what was applied.
func checksums(dir string, names []string) (map[string]string, error) {
	sums := make(map[string]string, len(names))
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		sums[name] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}
