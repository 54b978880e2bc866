// Package admin implements the subcommands of the "storectl" operations tool:
// migrations, snapshot restore, deploy gating, journal replay and friends.
package admin

import (
	"archive/tar"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// Version is stamped at build time.
var Version = "dev"

// ErrUsage marks errors caused by bad command-line input.
var ErrUsage = errors.New("usage error")

// die prints a formatted message to stderr and terminates the process with
// status 1. It never returns.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "storectl: "+format+"\n", args...)
	os.Exit(1)
}

// fatalUsage prints the usage of set followed by msg and terminates the process
// (through die). It never returns.
func fatalUsage(set *flag.FlagSet, msg string) {
	set.Usage()
	die("%s", msg)
}

// fail reports err on stderr and returns the exit status the caller should use.
// Unlike die it does not terminate anything.
func fail(err error) int {
	fmt.Fprintln(os.Stderr, "storectl:", err)
	if errors.Is(err, ErrUsage) {
		return 2
	}
	return 1
}

// fileLock is an advisory lock implemented as an O_EXCL lock file. A lock file
// left behind by a crashed process blocks every later run until an operator
// removes it by hand.
type fileLock struct {
	f    *os.File
	path string
}

func acquireLock(dir string) (*fileLock, error) {
	p := filepath.Join(dir, ".storectl.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("acquire lock %s: %w", p, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, fmt.Errorf("write lock %s: %w", p, err)
	}
	return &fileLock{f: f, path: p}, nil
}

// Release closes and removes the lock file.
func (l *fileLock) Release() error {
	cerr := l.f.Close()
	rerr := os.Remove(l.path)
	return errors.Join(cerr, rerr)
}

// profiler writes a CPU profile when a path is configured. The profile is
// only usable if Stop runs: the trailer is written at StopCPUProfile.
type profiler struct {
	path string
	f    *os.File
}

func (p *profiler) Start() error {
	if p.path == "" {
		return nil
	}
	f, err := os.Create(p.path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	p.f = f
	return nil
}

func (p *profiler) Stop() {
	if p.f == nil {
		return
	}
	pprof.StopCPUProfile()
	if err := p.f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "storectl: cpu profile:", err)
	}
	p.f = nil
}

// extractTar unpacks the regular files of a tar stream below dir.
func extractTar(r io.Reader, dir string) (int, error) {
	tr := tar.NewReader(r)
	n := 0
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		target := filepath.Join(dir, filepath.Clean("/"+hdr.Name))
		if err := writeFile(target, tr, hdr.FileInfo().Mode().Perm()); err != nil {
			return n, err
		}
		n++
	}
}

func writeFile(path string, r io.Reader, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// restoreFrom unpacks the snapshot archive at path into dir.
func restoreFrom(path, dir string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close() // ok: read-only, and extractTar still needs f open
	return extractTar(f, dir)
}
