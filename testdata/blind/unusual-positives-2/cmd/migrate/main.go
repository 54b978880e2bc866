// Command migrate applies the ledger migrations under an exclusive lock file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type lockFile struct{ path string }

func acquireLock(dir string) (*lockFile, error) {
	p := filepath.Join(dir, "migrate.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("another migration holds %s", p)
		}
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return &lockFile{path: p}, nil
}

func (l *lockFile) Release() error { return os.Remove(l.path) }

func pending(dir string, applied map[string]bool) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		if !applied[strings.TrimSuffix(filepath.Base(m), ".sql")] {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

func applyFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return fmt.Errorf("%s: empty migration", path)
	}
	return nil
}

func main() {
	dir := flag.String("dir", "migrations", "migration directory")
	dry := flag.Bool("dry-run", false, "list pending migrations only")
	flag.Parse()
	logger := log.New(os.Stderr, "migrate ", 0)
	fatal := logger.Fatalf

	lock, err := acquireLock(*dir)
	if err != nil {
		fatal("lock: %v", err)
	}
	defer lock.Release()

	todo, err := pending(*dir, map[string]bool{})
	if err != nil {
		logger.Printf("list: %v", err)
		return
	}
	for _, m := range todo {
		if *dry {
			fmt.Println(m)
			continue
		}
		if err := applyFile(m); err != nil {
			fatal("apply %s: %v", m, err) // HAZ exit-skips-defer
		}
		logger.Printf("applied %s", filepath.Base(m))
	}
}
