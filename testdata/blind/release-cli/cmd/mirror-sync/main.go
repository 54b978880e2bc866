// Command mirror-sync copies new release archives from the dist directory to
// a mirror directory (the NFS mount of the download site).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/releasecli/internal/build"
	"example.com/releasecli/internal/checksum"
)

// fatal logs and exits; it is used for unrecoverable mirror corruption.
func fatal(format string, args ...interface{}) {
	log.Printf(format, args...)
	os.Exit(1)
}

type mirror struct {
	src       string
	dst       string
	statePath string
	log       *log.Logger
	synced    map[string]string
}

// loadState reads the name → sha256 map written by the previous run.
func (m *mirror) loadState() error {
	m.synced = make(map[string]string)
	f, err := os.Open(m.statePath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewDecoder(f).Decode(&m.synced)
}

// saveState writes the state through a temp file.
func (m *mirror) saveState() {
	tmp := m.statePath + ".tmp"
	defer os.Remove(tmp)
	data, err := json.MarshalIndent(m.synced, "", "  ")
	if err == nil {
		err = os.WriteFile(tmp, data, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, m.statePath)
	}
	if err != nil {
		m.log.Fatalf("saving state: %v", err) // HAZ exit-skips-defer
	}
}

func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}

// copyOne copies one archive through a hidden partial file and renames it
// into place once its checksum is verified.
func (m *mirror) copyOne(s checksum.Sum) error {
	partial := filepath.Join(m.dst, "."+s.Name+".partial")
	defer os.Remove(partial)
	if err := copyFile(filepath.Join(m.src, s.Name), partial); err != nil {
		return err
	}
	got, err := checksum.File(partial)
	if err != nil {
		return err
	}
	if got.SHA256 != s.SHA256 {
		fatal("%s: checksum mismatch after copy (%s != %s)", s.Name, got.SHA256, s.SHA256) // HAZ exit-skips-defer
	}
	return os.Rename(partial, filepath.Join(m.dst, s.Name))
}

func (m *mirror) syncOnce() error {
	sums, err := checksum.ParseSumsFile(filepath.Join(m.src, "SHA256SUMS"))
	if err != nil {
		return err
	}
	copied := 0
	for _, s := range sums {
		if m.synced[s.Name] == s.SHA256 {
			continue
		}
		if err := m.copyOne(s); err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		m.synced[s.Name] = s.SHA256
		copied++
	}
	if copied > 0 {
		m.log.Printf("copied %d archives", copied)
		m.saveState()
	}
	return nil
}

func main() {
	src := flag.String("src", "dist", "dist directory")
	dst := flag.String("dst", "", "mirror directory")
	interval := flag.Duration("interval", 5*time.Minute, "sync interval")
	flag.Parse()
	log.SetPrefix("mirror-sync: ")
	if *dst == "" {
		fatal("-dst is required")
	}

	m := &mirror{
		src:       *src,
		dst:       *dst,
		statePath: filepath.Join(*dst, ".mirror-state.json"),
		log:       log.New(os.Stderr, "mirror-sync: ", log.LstdFlags),
	}
	if err := m.loadState(); err != nil {
		fatal("state: %v", err)
	}
	lock, err := build.AcquireLock(*dst)
	if err != nil {
		fatal("%v", err)
	}
	defer lock.Release() // HAZ signal-skips-defer

	for {
		if err := m.syncOnce(); err != nil {
			m.log.Print(err)
		}
		time.Sleep(*interval)
	}
}
