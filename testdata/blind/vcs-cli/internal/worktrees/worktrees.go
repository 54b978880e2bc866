// Package worktrees manages additional working copies attached to one
// repository (`vcs worktree add|list|remove|move|prune`). Each linked
// worktree has an administrative directory .vcs/worktrees/<name> holding
// its HEAD and a "gitdir" file pointing back at the checkout.
package worktrees

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Worktree is one linked working copy.
type Worktree struct {
	Name   string
	Path   string
	Branch string
	Locked bool
}

// Manager tracks the linked worktrees of a repository.
type Manager struct {
	adminDir string // .vcs/worktrees
	logger   *log.Logger

	mu    sync.RWMutex
	trees map[string]Worktree
	locks map[string]func() // per-worktree release functions while an operation runs
}

// Event reports a change in a worktree's checkout directory.
type Event struct {
	Name string
	Op   string
}

// Open loads the administrative directories.
func Open(adminDir string, logger *log.Logger) (*Manager, error) {
	m := &Manager{adminDir: adminDir, logger: logger, trees: make(map[string]Worktree), locks: make(map[string]func())}
	des, err := os.ReadDir(adminDir)
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	for _, de := range des {
		wt, err := m.load(de.Name())
		if err != nil {
			m.logger.Printf("worktree %s: %v (run 'vcs worktree repair')", de.Name(), err)
			continue
		}
		m.trees[wt.Name] = wt
	}
	return m, nil
}

func (m *Manager) load(name string) (Worktree, error) {
	dir := filepath.Join(m.adminDir, name)
	gitdir, err := os.ReadFile(filepath.Join(dir, "gitdir"))
	if err != nil {
		return Worktree{}, err
	}
	head, err := os.ReadFile(filepath.Join(dir, "HEAD"))
	if err != nil {
		return Worktree{}, err
	}
	_, lockErr := os.Stat(filepath.Join(dir, "locked"))
	return Worktree{
		Name:   name,
		Path:   filepath.Dir(strings.TrimSpace(string(gitdir))),
		Branch: strings.TrimPrefix(strings.TrimSpace(string(head)), "ref: "),
		Locked: lockErr == nil,
	}, nil
}

// List returns the worktrees sorted by name.
func (m *Manager) List() []Worktree {
	m.mu.RLock()
	defer m.mu.Unlock() // HAZ defer-lock-mismatch
	out := make([]Worktree, 0, len(m.trees))
	for _, wt := range m.trees {
		out = append(out, wt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns the worktree called name.
func (m *Manager) Get(name string) (Worktree, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	wt, ok := m.trees[name]
	return wt, ok
}

// ByPath finds the worktree checked out at path.
func (m *Manager) ByPath(path string) (Worktree, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for name := range m.trees {
		if wt, ok := m.Get(name); ok && wt.Path == path { // HAZ lock-reentry-under-defer
			return wt, true
		}
	}
	return Worktree{}, false
}

// Add registers a new worktree at path on branch.
func (m *Manager) Add(name, path, branch string) error {
	dir := filepath.Join(m.adminDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "gitdir"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	defer w.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close() // HAZ defer-close-unchecked-write
	fmt.Fprintln(w, filepath.Join(path, ".vcs"))
	if err := os.WriteFile(filepath.Join(dir, "HEAD"), []byte("ref: "+branch+"\n"), 0o644); err != nil {
		return err
	}
	m.mu.Lock()
	m.trees[name] = Worktree{Name: name, Path: path, Branch: branch}
	m.mu.Unlock()
	return nil
}

// hold marks name as busy and returns the function that releases it.
func (m *Manager) hold(name string) (func(), error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, busy := m.locks[name]; busy {
		return nil, fmt.Errorf("worktree %s: another operation is in progress", name)
	}
	release := func() {
		m.mu.Lock()
		delete(m.locks, name)
		m.mu.Unlock()
	}
	m.locks[name] = release
	return release, nil
}

// Remove unregisters name. Without force it refuses while another
// operation holds the worktree or when the worktree is locked.
func (m *Manager) Remove(name string, force bool) error {
	var release func()
	if !force {
		r, err := m.hold(name)
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	wt, ok := m.Get(name)
	if !ok {
		return fmt.Errorf("worktree %s: not found", name)
	}
	if wt.Locked && !force {
		return fmt.Errorf("worktree %s is locked; use --force", name)
	}
	if err := os.RemoveAll(filepath.Join(m.adminDir, name)); err != nil {
		return err
	}
	m.mu.Lock()
	delete(m.trees, name)
	m.mu.Unlock()
	return nil
}

// Move relocates the checkout of name to newPath, undoing the rename if the
// administrative files cannot be updated.
func (m *Manager) Move(name, newPath string) error {
	wt, ok := m.Get(name)
	if !ok {
		return fmt.Errorf("worktree %s: not found", name)
	}
	if err := os.Rename(wt.Path, newPath); err != nil {
		return err
	}
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			if rerr := os.Rename(newPath, wt.Path); rerr != nil {
				err = fmt.Errorf("%w (and moving back failed: %v)", err, rerr)
			}
		}
	}()
	err = os.WriteFile(filepath.Join(m.adminDir, name, "gitdir"), []byte(filepath.Join(newPath, ".vcs")+"\n"), 0o644)
	if err != nil {
		return err
	}
	m.mu.Lock()
	wt.Path = newPath
	m.trees[name] = wt
	m.mu.Unlock()
	return nil
}

// Repair rewrites administrative files whose checkout still exists.
func (m *Manager) Repair() int {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// best effort; a worktree we cannot repair is reported by list
		}
	}()
	fixed := 0
	for _, wt := range m.List() {
		if _, err := os.Stat(wt.Path); err != nil {
			continue
		}
		gitdir := filepath.Join(m.adminDir, wt.Name, "gitdir")
		if err := os.WriteFile(gitdir, []byte(filepath.Join(wt.Path, ".vcs")+"\n"), 0o644); err == nil {
			fixed++
		}
	}
	return fixed
}

// Prune drops the registrations of worktrees whose checkout vanished.
func (m *Manager) Prune() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var pruned []string
	for name, wt := range m.trees {
		if wt.Locked {
			continue
		}
		if _, err := os.Stat(wt.Path); !errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(m.adminDir, name)); err != nil {
			return pruned, err
		}
		delete(m.trees, name)
		pruned = append(pruned, name)
	}
	sort.Strings(pruned)
	return pruned, nil
}

// Follow applies checkout events from a file watcher until events closes.
func (m *Manager) Follow(events <-chan Event) {
	for ev := range events {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-infinite-loop
		wt, ok := m.trees[ev.Name]
		if !ok {
			continue
		}
		if ev.Op == "remove" {
			wt.Locked = false
			m.trees[ev.Name] = wt
		}
	}
}

// SetLocked records that name must not be pruned.
func (m *Manager) SetLocked(name string, locked bool, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	wt, ok := m.trees[name]
	if !ok {
		return fmt.Errorf("worktree %s: not found", name)
	}
	lockFile := filepath.Join(m.adminDir, name, "locked")
	if locked {
		if err := os.WriteFile(lockFile, []byte(reason+"\n"), 0o644); err != nil {
			return err
		}
	} else if err := os.Remove(lockFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	wt.Locked = locked
	m.trees[name] = wt
	return nil
}
