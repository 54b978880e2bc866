// Package fsys maps the virtual paths that clients see onto a user's home
// directory and implements the file operations behind the transfer
// commands.
package fsys

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrOutsideRoot is returned for paths that escape the home directory.
var ErrOutsideRoot = errors.New("fsys: path outside root")

// Root is a user's home directory.
type Root struct {
	dir string
}

// NewRoot checks that dir exists and is a directory.
func NewRoot(dir string) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("fsys: %s is not a directory", abs)
	}
	return &Root{dir: abs}, nil
}

// Resolve turns a client path (absolute, or relative to the virtual cwd)
// into a host path below the root, and returns the cleaned virtual path
// too.
func (r *Root) Resolve(cwd, p string) (host, virtual string, err error) {
	if strings.ContainsRune(p, 0) {
		return "", "", fmt.Errorf("fsys: NUL in path")
	}
	if !path.IsAbs(p) {
		p = path.Join(cwd, p)
	}
	virtual = path.Clean("/" + p)
	host = filepath.Join(r.dir, filepath.FromSlash(virtual))
	rel, err := filepath.Rel(r.dir, host)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", "", ErrOutsideRoot
	}
	return host, virtual, nil
}
