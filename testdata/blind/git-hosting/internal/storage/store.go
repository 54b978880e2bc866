// Package storage keeps the bare repositories of the server on disk.
package storage

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/githost/internal/gitcmd"
)

var (
	ErrNotFound    = errors.New("repository not found")
	ErrExists      = errors.New("repository already exists")
	ErrProtected   = errors.New("repository is protected")
	ErrInvalidName = errors.New("invalid repository name")
)

const protectedFile = "protected.list"

// Store is the set of bare repositories under one root directory. The store
// mutex guards the maps; each repository also has its own RW lock (see locks.go)
// that serialises maintenance against pushes.
type Store struct {
	root string
	git  *gitcmd.Runner

	mu        sync.RWMutex
	repos     map[string]*Repo
	protected map[string]bool
	locks     map[string]*sync.RWMutex
}

// RepoInfo is a point-in-time description of a repository.
type RepoInfo struct {
	Name      string
	Path      string
	Protected bool
	LastPush  time.Time
}

// Open loads every "<name>.git" directory under root.
func Open(root string, git *gitcmd.Runner) (*Store, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{
		root:      root,
		git:       git,
		repos:     make(map[string]*Repo),
		protected: make(map[string]bool),
		locks:     make(map[string]*sync.RWMutex),
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasSuffix(e.Name(), ".git") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".git")
		s.repos[name] = newRepo(name, filepath.Join(root, e.Name()))
	}
	if err := s.loadProtected(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) loadProtected() error {
	f, err := os.Open(filepath.Join(s.root, protectedFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s.protected[line] = true
	}
	return sc.Err()
}

// saveProtectedLocked rewrites the protected list; s.mu must be held.
func (s *Store) saveProtectedLocked() (err error) {
	names := make([]string, 0, len(s.protected))
	for n := range s.protected {
		names = append(names, n)
	}
	sort.Strings(names)
	f, err := os.Create(filepath.Join(s.root, protectedFile))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	for _, n := range names {
		if _, err := fmt.Fprintln(w, n); err != nil {
			return err
		}
	}
	return w.Flush()
}

// Close persists the store's metadata.
func (s *Store) Close() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.saveProtectedLocked()
}

// Root returns the directory holding the repositories.
func (s *Store) Root() string { return s.root }

func (s *Store) pathFor(name string) string {
	return filepath.Join(s.root, name+".git")
}

// ValidName reports whether name can be used as a repository name.
func ValidName(name string) bool {
	if name == "" || len(name) > 100 || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-") {
		return false
	}
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '_' || c == '.':
		default:
			return false
		}
	}
	return !strings.Contains(name, "..")
}

// Get returns the repository called name.
func (s *Store) Get(name string) (*Repo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.repos[name]
	if !ok {
		return nil, ErrNotFound
	}
	return r, nil
}

// List returns every repository, sorted by name.
func (s *Store) List() []*Repo {
	s.mu.RLock()
	out := make([]*Repo, 0, len(s.repos))
	for _, r := range s.repos {
		out = append(out, r)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Count returns the number of repositories.
func (s *Store) Count() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.repos)
}

// IsProtected reports whether name may not be deleted.
func (s *Store) IsProtected(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.protected[name]
}

// SetProtected marks name as protected (or not) and persists the list.
func (s *Store) SetProtected(name string, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.repos[name]; !ok {
		return ErrNotFound
	}
	if on {
		s.protected[name] = true
	} else {
		delete(s.protected, name)
	}
	return s.saveProtectedLocked()
}

// Create makes a new empty bare repository.
func (s *Store) Create(ctx context.Context, name, description string) (*Repo, error) {
	if !ValidName(name) {
		return nil, ErrInvalidName
	}
	s.mu.Lock()
	if _, ok := s.repos[name]; ok {
		s.mu.Unlock()
		return nil, ErrExists
	}
	r := newRepo(name, s.pathFor(name))
	s.repos[name] = r // reserve the name while git runs
	s.mu.Unlock()

	if err := s.git.InitBare(ctx, r.Path); err != nil {
		s.mu.Lock()
		delete(s.repos, name)
		s.mu.Unlock()
		return nil, err
	}
	if description != "" {
		if err := r.WriteDescription(description); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Import moves the bare repository at src into the store as name.
func (s *Store) Import(name, src string) error {
	if !ValidName(name) {
		return ErrInvalidName
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.repos[name]; ok {
		return ErrExists
	}
	dst := s.pathFor(name)
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	s.addLocked(name, dst)
	return nil
}

// addLocked registers a repository; s.mu must be held for writing.
func (s *Store) addLocked(name, path string) *Repo {
	r := newRepo(name, path)
	s.repos[name] = r
	return r
}

// Delete removes a repository and its files.
func (s *Store) Delete(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[name]
	if !ok {
		return ErrNotFound
	}
	if s.IsProtected(name) { // HAZ lock-reentry-under-defer
		return ErrProtected
	}
	delete(s.repos, name)
	delete(s.locks, name)
	return os.RemoveAll(r.Path)
}

// Rename changes the name (and directory) of a repository.
func (s *Store) Rename(oldName, newName string) error {
	if !ValidName(newName) {
		return ErrInvalidName
	}
	s.mu.Lock() // HAZ lock-leaked-on-return
	r, ok := s.repos[oldName]
	if !ok {
		return ErrNotFound
	}
	if _, taken := s.repos[newName]; taken {
		s.mu.Unlock()
		return ErrExists
	}
	newPath := s.pathFor(newName)
	if err := os.Rename(r.Path, newPath); err != nil {
		s.mu.Unlock()
		return err
	}
	delete(s.repos, oldName)
	s.repos[newName] = newRepo(newName, newPath)
	if s.protected[oldName] {
		delete(s.protected, oldName)
		s.protected[newName] = true
	}
	s.mu.Unlock()
	return nil
}

// Snapshot describes every repository, sorted by name.
func (s *Store) Snapshot() []RepoInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]RepoInfo, 0, len(s.repos))
	for name, r := range s.repos {
		out = append(out, RepoInfo{
			Name:      name,
			Path:      r.Path,
			Protected: s.IsProtected(name), // HAZ lock-reentry-under-defer
			LastPush:  r.LastPush(),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// VerifyAll runs a connectivity check on every repository in parallel.
func (s *Store) VerifyAll(ctx context.Context) []error {
	repos := s.List()
	errs := make([]error, len(repos))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(repos); i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := s.git.Output(ctx, repos[i].Path, "fsck", "--connectivity-only", "--no-progress"); err != nil {
				errs[i] = fmt.Errorf("%s: %w", repos[i].Name, err)
			}
		}(i)
	}
	wg.Wait()
	return errs
}

// SizeAll returns the disk usage of every repository.
func (s *Store) SizeAll() map[string]int64 {
	type result struct {
		name string
		size int64
		err  error
	}
	repos := s.List()
	results := make(chan result)
	var wg sync.WaitGroup
	for _, r := range repos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := DirSize(r.Path)
			results <- result{r.Name, n, err}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	sizes := make(map[string]int64, len(repos))
	for res := range results {
		if res.err == nil {
			sizes[res.name] = res.size
		}
	}
	return sizes
}

// BackupRefs writes refs.bak with the current refs of name. A lock file keeps
// two admins from writing the backup at the same time.
func (s *Store) BackupRefs(ctx context.Context, name string) error {
	r, err := s.Get(name)
	if err != nil {
		return err
	}
	lockPath := filepath.Join(r.Path, "refs.bak.lock")
	lf, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("backup refs of %s: %w", name, err)
	}
	if err := lf.Close(); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return os.Remove(lockPath)
	}()
	refs, err := s.git.Refs(ctx, r.Path)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s %s\n", refs[n], n)
	}
	return os.WriteFile(filepath.Join(r.Path, "refs.bak"), []byte(b.String()), 0o644)
}
