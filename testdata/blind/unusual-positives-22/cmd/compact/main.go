// Command compact merges sealed segments into snapshots.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"example.com/up22/internal/store"
)

func main() {
	dir := flag.String("dir", "/var/lib/tiles", "data directory")
	batch := flag.Int("batch", 16, "segments per snapshot")
	flag.Parse()

	code := 0
	defer func() {
		if code != 0 {
			os.Exit(code)
		}
	}()

	logger := log.New(os.Stderr, "compact: ", 0)
	st, err := store.Open(*dir, logger)
	check(err)
	defer st.Close()

	lock, err := acquireLock(filepath.Join(*dir, "LOCK"))
	if err != nil {
		fail("lock", err) // HAZ exit-skips-defer
	}
	defer lock.release()

	if err := compactAll(st, *batch); err != nil {
		logger.Print(err)
		code = 1
	}
}

// check exits when err is set; it is only used before any cleanup exists.
func check(err error) {
	if err != nil {
		log.Fatalf("compact: %v", err)
	}
}

// fail reports a failed step and exits.
func fail(step string, err error) {
	log.Fatalln("compact:", step+":", err)
}

type fileLock struct {
	path string
	f    *os.File
}

func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%s is held by another compactor", path)
		}
		return nil, err
	}
	return &fileLock{path: path, f: f}, nil
}

func (l *fileLock) release() {
	l.f.Close()
	os.Remove(l.path)
}

func compactAll(st *store.Store, batch int) error {
	names, err := st.Segments()
	if err != nil {
		return err
	}
	for start := 0; start < len(names); start += batch {
		end := min(start+batch, len(names))
		part := names[start:end]
		dst := "snap-" + strings.TrimSuffix(part[0], ".seg")
		if err := st.CompactEach(part, dst); err != nil {
			return fmt.Errorf("compact %s: %w", dst, err)
		}
	}
	return nil
}
