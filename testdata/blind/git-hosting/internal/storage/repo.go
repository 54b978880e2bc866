package storage

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/githost/internal/gitcmd"
)

// Repo is one bare repository. Name and Path never change; a rename creates a new Repo.
type Repo struct {
	Name string
	Path string

	mu       sync.RWMutex
	refs     map[string]string
	lastPush time.Time
}

func newRepo(name, path string) *Repo {
	return &Repo{Name: name, Path: path, refs: make(map[string]string)}
}

// CachedRefs returns a copy of the refs seen at the last refresh.
func (r *Repo) CachedRefs() map[string]string {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	out := make(map[string]string, len(r.refs))
	for k, v := range r.refs {
		out[k] = v
	}
	return out
}

// SetRefs replaces the cached refs.
func (r *Repo) SetRefs(refs map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refs = refs
}

// RefreshRefs reloads the cached refs from git.
func (r *Repo) RefreshRefs(ctx context.Context, git *gitcmd.Runner) error {
	refs, err := git.Refs(ctx, r.Path)
	if err != nil {
		return err
	}
	r.SetRefs(refs)
	return nil
}

// TouchPush records a successful push.
func (r *Repo) TouchPush(t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t.After(r.lastPush) {
		r.lastPush = t
	}
}

// LastPush returns the time of the last successful push.
func (r *Repo) LastPush() time.Time {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.lastPush
}

// Description returns the gitweb-style description of the repository.
func (r *Repo) Description() (string, error) {
	b, err := os.ReadFile(filepath.Join(r.Path, "description"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	desc := strings.TrimSpace(string(b))
	if strings.HasPrefix(desc, "Unnamed repository;") {
		return "", nil
	}
	return desc, nil
}

// WriteDescription replaces the description of the repository.
func (r *Repo) WriteDescription(text string) (err error) {
	f, err := os.Create(filepath.Join(r.Path, "description"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.WriteString(f, strings.TrimSpace(text)+"\n")
	return err
}

// WriteHook installs an executable server-side hook script.
func (r *Repo) WriteHook(name string, script []byte) error {
	if strings.ContainsAny(name, `/\`) {
		return errors.New("invalid hook name")
	}
	path := filepath.Join(r.Path, "hooks", name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(script)
	return err
}

// ReadHook returns the content of an installed hook.
func (r *Repo) ReadHook(name string) ([]byte, error) {
	if strings.ContainsAny(name, `/\`) {
		return nil, errors.New("invalid hook name")
	}
	f, err := os.Open(filepath.Join(r.Path, "hooks", name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 1<<20))
}

// DiskUsage returns the number of bytes used by the repository.
func (r *Repo) DiskUsage() (int64, error) {
	return DirSize(r.Path)
}

// DirSize adds up the sizes of the regular files below dir.
func DirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}
