// Package repo ties the object store, refs, index, config and hooks of one
// working copy together.
package repo

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sync"

	"example.com/vcscli/internal/config"
	"example.com/vcscli/internal/hooks"
	"example.com/vcscli/internal/index"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/refs"
)

// DirName is the name of the repository directory inside a working copy.
const DirName = ".vcs"

// ErrNotRepo is returned when no repository encloses the start directory.
var ErrNotRepo = errors.New("not a vcs repository (or any of the parent directories)")

// Repo is an opened repository.
type Repo struct {
	Root    string // working copy
	Dir     string // Root/.vcs
	Objects *object.Store
	Refs    *refs.Store
	Config  *config.Config
	Hooks   *hooks.Runner

	mu    sync.Mutex
	index *index.Index

	wtMu sync.Mutex
	busy string
}

// Find walks up from start to the directory that holds .vcs.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		fi, err := os.Stat(filepath.Join(dir, DirName))
		if err == nil && fi.IsDir() {
			return dir, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNotRepo
		}
		dir = parent
	}
}

// Open opens the repository enclosing start.
func Open(start string) (*Repo, error) {
	root, err := Find(start)
	if err != nil {
		return nil, err
	}
	return openAt(root)
}

func openAt(root string) (*Repo, error) {
	dir := filepath.Join(root, DirName)
	cfg, err := config.Load(filepath.Join(dir, "config"))
	if err != nil {
		return nil, err
	}
	var logger *log.Logger
	if cfg.Bool("core.logRefUpdates", false) {
		logger = log.New(os.Stderr, "", log.LstdFlags)
	}
	return &Repo{
		Root:    root,
		Dir:     dir,
		Objects: object.NewStore(filepath.Join(dir, "objects"), cfg.Int("core.objectCache", 512)),
		Refs:    refs.NewStore(dir, logger),
		Config:  cfg,
		Hooks:   hooks.New(filepath.Join(dir, "hooks"), root, os.Stdout, os.Stderr),
	}, nil
}

// Init creates an empty repository in dir.
func Init(dir, branch string) (*Repo, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	vdir := filepath.Join(root, DirName)
	if _, err := os.Stat(vdir); err == nil {
		return nil, fmt.Errorf("repo: %s already exists", vdir)
	}
	for _, sub := range []string{"objects", "packs", "refs/heads", "refs/tags", "hooks", "logs"} {
		if err := os.MkdirAll(filepath.Join(vdir, filepath.FromSlash(sub)), 0o755); err != nil {
			return nil, err
		}
	}
	head := []byte("ref: refs/heads/" + branch + "\n")
	if err := os.WriteFile(filepath.Join(vdir, "HEAD"), head, 0o644); err != nil {
		return nil, err
	}
	cfg := config.New(filepath.Join(vdir, "config"))
	if err := cfg.Set("core.repositoryformatversion", "1"); err != nil {
		return nil, err
	}
	if err := cfg.Save(); err != nil {
		return nil, err
	}
	return openAt(root)
}

// PackDir is where packfiles live.
func (r *Repo) PackDir() string { return filepath.Join(r.Dir, "packs") }

// Index loads the index on first use.
func (r *Repo) Index() (*index.Index, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.index != nil {
		return r.index, nil
	}
	ix, err := index.Load(filepath.Join(r.Dir, "index"))
	if err != nil {
		return nil, err
	}
	r.index = ix
	return ix, nil
}

// Head returns the commit HEAD points at.
func (r *Repo) Head() (object.ID, error) {
	return r.Refs.Resolve("HEAD")
}

// CurrentBranch returns the ref HEAD points at ("refs/heads/main").
func (r *Repo) CurrentBranch() (string, error) {
	return r.Refs.Symbolic("HEAD")
}

// Haves returns the set of ref tips, for fetch negotiation.
func (r *Repo) Haves() (map[object.ID]bool, error) {
	all, err := r.Refs.List("refs/")
	if err != nil {
		return nil, err
	}
	out := make(map[object.ID]bool, len(all))
	for _, id := range all {
		out[id] = true
	}
	return out, nil
}

// holdWorktree serialises operations that rewrite the working copy within
// this process. Use as `defer r.holdWorktree("checkout")()`.
func (r *Repo) holdWorktree(op string) func() {
	r.wtMu.Lock()
	r.busy = op
	return func() {
		r.busy = ""
		r.wtMu.Unlock()
	}
}

// ReadCommit loads and decodes a commit.
func (r *Repo) ReadCommit(id object.ID) (*object.Commit, error) {
	kind, data, err := r.Objects.Read(id)
	if err != nil {
		return nil, err
	}
	if kind != object.KindCommit {
		return nil, fmt.Errorf("repo: %s is a %s, not a commit", id.Short(), kind)
	}
	return object.DecodeCommit(data)
}

// ReadTree loads and decodes a tree.
func (r *Repo) ReadTree(id object.ID) (*object.Tree, error) {
	kind, data, err := r.Objects.Read(id)
	if err != nil {
		return nil, err
	}
	if kind != object.KindTree {
		return nil, fmt.Errorf("repo: %s is a %s, not a tree", id.Short(), kind)
	}
	return object.DecodeTree(data)
}
