// Package workspace manages per-job checkouts in temporary directories.
package workspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

const ownerFile = ".runner-owner"

// Manager creates and removes workspaces below a root directory.
type Manager struct {
	root string
	git  string
}

// Workspace is the directory a single job runs in. The repository is
// checked out into Src().
type Workspace struct {
	Dir   string
	JobID string
}

// NewManager prepares root and locates git.
func NewManager(root string) (*Manager, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, fmt.Errorf("workspace: git not found: %w", err)
	}
	return &Manager{root: root, git: git}, nil
}

// Create makes a fresh directory for jobID and records its owner.
func (m *Manager) Create(jobID string) (*Workspace, error) {
	dir, err := os.MkdirTemp(m.root, "job-"+sanitize(jobID)+"-")
	if err != nil {
		return nil, err
	}
	if err := writeOwner(filepath.Join(dir, ownerFile), jobID); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return &Workspace{Dir: dir, JobID: jobID}, nil
}

// writeOwner records which job and process own a workspace, so that Prune
// can tell crash leftovers from live workspaces.
func writeOwner(path, jobID string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "%s %d %s\n", jobID, os.Getpid(), time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return f.Close()
}

// Src is the checkout directory inside the workspace.
func (w *Workspace) Src() string {
	return filepath.Join(w.Dir, "src")
}

// Checkout fetches ref of repo into the workspace (shallow).
func (m *Manager) Checkout(ctx context.Context, ws *Workspace, repo, ref string) error {
	cancel := context.CancelFunc(func() {})
	if _, ok := ctx.Deadline(); !ok {
		ctx, cancel = context.WithTimeout(ctx, 15*time.Minute)
	}
	defer cancel()
	src := ws.Src()
	steps := [][]string{
		{"init", "-q", src},
		{"-C", src, "remote", "add", "origin", repo},
		{"-C", src, "fetch", "-q", "--depth=1", "origin", ref},
		{"-C", src, "checkout", "-q", "FETCH_HEAD"},
	}
	for _, args := range steps {
		cmd := exec.CommandContext(ctx, m.git, args...)
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
		}
	}
	return nil
}

// Revision returns the commit checked out in the workspace.
func (m *Manager) Revision(ctx context.Context, ws *Workspace) (string, error) {
	out, err := exec.CommandContext(ctx, m.git, "-C", ws.Src(), "rev-parse", "HEAD").Output()
	if err != nil {
		return "", fmt.Errorf("rev-parse: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Remove deletes the workspace and everything in it.
func (w *Workspace) Remove() error {
	return os.RemoveAll(w.Dir)
}

// WithScratch runs fn with an empty scratch directory (used to unpack
// caches before moving them into place) and removes it afterwards.
func (m *Manager) WithScratch(fn func(dir string) error) error {
	dir, err := os.MkdirTemp(m.root, "scratch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	return fn(dir)
}

// Prune removes workspaces older than maxAge (leftovers of crashed runs).
func (m *Manager) Prune(maxAge time.Duration) (int, error) {
	entries, err := os.ReadDir(m.root)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < maxAge {
			continue
		}
		if err := os.RemoveAll(filepath.Join(m.root, e.Name())); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Owner reads back the owner record of a workspace.
func (w *Workspace) Owner() (jobID string, pid int, err error) {
	f, err := os.Open(filepath.Join(w.Dir, ownerFile))
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	var stamp string
	if _, err := fmt.Fscanf(f, "%s %d %s\n", &jobID, &pid, &stamp); err != nil {
		return "", 0, fmt.Errorf("owner file: %w", err)
	}
	return jobID, pid, nil
}

// dirLock is an advisory lock: a file created exclusively in the directory.
type dirLock struct{ path string }

func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &dirLock{path: path}, nil
}

func (l *dirLock) release() error {
	return os.Remove(l.path)
}

// Snapshot copies the checkout into dst while holding the workspace lock,
// so that a concurrent cleanup does not remove files under our feet.
func (w *Workspace) Snapshot(dst string) error {
	l, err := lockDir(w.Dir)
	if err != nil {
		return err
	}
	defer func() error { return l.release() }() // HAZ defer-ineffective-return
	return copyTree(w.Src(), dst)
}

// copyTree copies directories and regular files from src to dst, skipping
// nested .git directories. Symlinks and devices are not copied.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			if d.Name() == ".git" && path != src {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			return copyFile(path, target, info.Mode().Perm())
		default:
			return nil
		}
	})
}

// copyFile copies one file; write errors reported by Close are returned.
func copyFile(src, dst string, perm os.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '/' || r == '\\' || r == ' ' || r == '.' {
			r = '_'
		}
		b.WriteRune(r)
	}
	if b.Len() > 40 {
		return b.String()[:40]
	}
	return b.String()
}
