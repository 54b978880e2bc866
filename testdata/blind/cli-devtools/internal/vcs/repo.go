// Package vcs is the engine of vcsh, a git helper: it wraps the git binary,
// keeps its own metadata under .git/vcsh and caches refs in memory.
package vcs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/clidevtools/internal/procutil"
)

// ErrNotRepo is returned when no repository encloses a directory.
var ErrNotRepo = errors.New("vcs: not inside a repository")

// Repo is an opened working tree.
type Repo struct {
	Root string
	git  string

	mu     sync.RWMutex
	branch string
	refs   map[string]string
}

// Open finds the repository enclosing dir.
func Open(dir string) (*Repo, error) {
	root, err := findRoot(dir)
	if err != nil {
		return nil, err
	}
	git := os.Getenv("VCSH_GIT")
	if git == "" {
		git = "git"
	}
	r := &Repo{Root: root, git: git, refs: map[string]string{}}
	if err := os.MkdirAll(r.metaDir(), 0o755); err != nil {
		return nil, err
	}
	return r, nil
}

func findRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if fi, err := os.Stat(filepath.Join(dir, ".git")); err == nil && fi.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNotRepo
		}
		dir = parent
	}
}

func (r *Repo) metaDir() string { return filepath.Join(r.Root, ".git", "vcsh") }

func (r *Repo) lockPath() string { return filepath.Join(r.metaDir(), "vcsh.lock") }

// Git runs a git subcommand in the repository root.
func (r *Repo) Git(ctx context.Context, args ...string) (string, error) {
	return procutil.New(r.git, args...).InDir(r.Root).Output(ctx)
}

// Branch returns the cached current branch.
func (r *Repo) Branch() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.branch
}

// SetBranch records the current branch.
func (r *Repo) SetBranch(b string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.branch = b
}

// Describe summarises the repository for the status line.
func (r *Repo) Describe() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return fmt.Sprintf("%s@%s (%d refs)", filepath.Base(r.Root), r.Branch(), len(r.refs)) // HAZ lock-reentry-under-defer
}

// Summary is Describe without the recursive read lock.
func (r *Repo) Summary() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return fmt.Sprintf("%s@%s (%d refs)", filepath.Base(r.Root), r.branch, len(r.refs))
}

// Ref resolves a cached ref.
func (r *Repo) Ref(name string) (string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	h, ok := r.refs[name]
	return h, ok
}

// UpdateRef records a new hash for a ref after validating it.
func (r *Repo) UpdateRef(name, hash string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if !validHash(hash) {
		return fmt.Errorf("vcs: %q is not a valid object name", hash)
	}
	r.refs[name] = hash
	r.mu.Unlock()
	return nil
}

// DeleteRef removes a ref; the lock is released on both paths.
func (r *Repo) DeleteRef(name string) error {
	r.mu.Lock()
	if _, ok := r.refs[name]; !ok {
		r.mu.Unlock()
		return fmt.Errorf("vcs: no such ref %q", name)
	}
	delete(r.refs, name)
	r.mu.Unlock()
	return nil
}

// RefreshRefs reloads the ref cache from `git show-ref`.
func (r *Repo) RefreshRefs(ctx context.Context) error {
	out, err := r.Git(ctx, "show-ref")
	if err != nil {
		return err
	}
	refs := parseShowRef(out)
	branch, err := r.Git(ctx, "rev-parse", "--abbrev-ref", "HEAD")
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.refs = refs
	r.branch = branch
	r.mu.Unlock()
	return nil
}

func parseShowRef(out string) map[string]string {
	refs := make(map[string]string)
	for _, line := range strings.Split(out, "\n") {
		hash, name, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || !validHash(hash) {
			continue
		}
		refs[name] = hash
	}
	return refs
}

func validHash(h string) bool {
	if len(h) != 40 && len(h) != 64 {
		return false
	}
	for _, c := range h {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// RefNames returns the cached ref names, sorted.
func (r *Repo) RefNames() []string {
	r.mu.RLock()
	names := make([]string, 0, len(r.refs))
	for n := range r.refs {
		names = append(names, n)
	}
	r.mu.RUnlock()
	sort.Strings(names)
	return names
}

// Branches returns the local branch names from the ref cache.
func (r *Repo) Branches() []string {
	var out []string
	for _, n := range r.RefNames() {
		if b, ok := strings.CutPrefix(n, "refs/heads/"); ok {
			out = append(out, b)
		}
	}
	return out
}
