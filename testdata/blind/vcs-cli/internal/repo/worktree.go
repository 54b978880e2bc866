package repo

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"example.com/vcscli/internal/index"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/trace"
)

// ChangeKind classifies a path in `vcs status`.
type ChangeKind int

const (
	Modified ChangeKind = iota + 1
	Deleted
	Untracked
)

func (k ChangeKind) String() string {
	switch k {
	case Modified:
		return "modified"
	case Deleted:
		return "deleted"
	case Untracked:
		return "untracked"
	}
	return "unknown"
}

// Change is one entry of `vcs status`.
type Change struct {
	Path string
	Kind ChangeKind
}

// TreeFile is a file of a flattened tree.
type TreeFile struct {
	Path string
	Mode uint32
	ID   object.ID
}

func modeOf(fi fs.FileInfo) uint32 {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return object.ModeSymlink
	case fi.Mode().Perm()&0o111 != 0:
		return object.ModeExec
	}
	return object.ModeFile
}

// hashFile computes the blob id of a working-copy file without storing it.
func (r *Repo) hashFile(rel string) (object.ID, error) {
	f, err := os.Open(filepath.Join(r.Root, filepath.FromSlash(rel)))
	if err != nil {
		return object.ZeroID, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return object.ZeroID, err
	}
	return object.Hash(object.KindBlob, data), nil
}

// HashFiles returns the blob ids of many working-copy files at once
// (`vcs hash-object --stdin-paths`).
func (r *Repo) HashFiles(rels []string) (map[string]object.ID, error) {
	out := make(map[string]object.ID, len(rels))
	for _, rel := range rels {
		f, err := os.Open(filepath.Join(r.Root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		data, err := io.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		out[rel] = object.Hash(object.KindBlob, data)
	}
	return out, nil
}

// walkWorktree calls fn for every file outside .vcs, with slash paths.
func (r *Repo) walkWorktree(fn func(rel string, fi fs.FileInfo) error) error {
	return filepath.WalkDir(r.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == DirName {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(r.Root, p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel), fi)
	})
}

// Status compares the working copy with the index.
func (r *Repo) Status() ([]Change, error) {
	defer trace.Region("status")()
	ix, err := r.Index()
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	var changes []Change
	err = r.walkWorktree(func(rel string, fi fs.FileInfo) error {
		seen[rel] = true
		e, ok := ix.Get(rel)
		if !ok {
			changes = append(changes, Change{rel, Untracked})
			return nil
		}
		if e.Size == fi.Size() && e.MTime.Equal(fi.ModTime()) {
			return nil
		}
		id, err := r.hashFile(rel)
		if err != nil {
			return err
		}
		if id != e.ID {
			changes = append(changes, Change{rel, Modified})
		} else {
			ix.Touch(rel, fi)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, e := range ix.Entries() {
		if !seen[e.Path] {
			changes = append(changes, Change{e.Path, Deleted})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, nil
}

// Add stores the given working-copy files as blobs and stages them.
func (r *Repo) Add(rels []string) error {
	ix, err := r.Index()
	if err != nil {
		return err
	}
	entries := make([]index.Entry, 0, len(rels))
	for _, rel := range rels {
		p := filepath.Join(r.Root, filepath.FromSlash(rel))
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		id, err := r.Objects.Write(object.KindBlob, data)
		if err != nil {
			return err
		}
		entries = append(entries, index.Entry{Path: rel, Mode: modeOf(fi), Size: fi.Size(), MTime: fi.ModTime(), ID: id})
	}
	for _, e := range entries {
		ix.Add(e)
	}
	return ix.Write()
}

// flatten lists every file under tree id, prefixed by dir.
func (r *Repo) flatten(id object.ID, dir string, out []TreeFile) ([]TreeFile, error) {
	t, err := r.ReadTree(id)
	if err != nil {
		return nil, err
	}
	for _, e := range t.Entries {
		p := path.Join(dir, e.Name)
		if e.IsDir() {
			if out, err = r.flatten(e.ID, p, out); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, TreeFile{Path: p, Mode: e.Mode, ID: e.ID})
	}
	return out, nil
}

// writeWorktreeFile materialises one blob in the working copy.
func (r *Repo) writeWorktreeFile(tf TreeFile) error {
	_, data, err := r.Objects.Read(tf.ID)
	if err != nil {
		return err
	}
	p := filepath.Join(r.Root, filepath.FromSlash(tf.Path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	perm := fs.FileMode(0o644)
	if tf.Mode == object.ModeExec {
		perm = 0o755
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

// Checkout replaces the working copy and index with the tree of commit id.
func (r *Repo) Checkout(id object.ID) error {
	defer r.holdWorktree("checkout")()
	defer trace.Region("checkout")()
	c, err := r.ReadCommit(id)
	if err != nil {
		return err
	}
	files, err := r.flatten(c.Tree, "", nil)
	if err != nil {
		return err
	}
	ix := index.New(filepath.Join(r.Dir, "index"))
	for _, tf := range files {
		if err := r.writeWorktreeFile(tf); err != nil {
			return fmt.Errorf("checkout %s: %w", tf.Path, err)
		}
		fi, err := os.Lstat(filepath.Join(r.Root, filepath.FromSlash(tf.Path)))
		if err != nil {
			return err
		}
		ix.Add(index.Entry{Path: tf.Path, Mode: tf.Mode, Size: fi.Size(), MTime: fi.ModTime(), ID: tf.ID})
	}
	if err := ix.Write(); err != nil {
		return err
	}
	r.mu.Lock()
	r.index = ix
	r.mu.Unlock()
	return nil
}

// ResetIndex makes the index match the tree of commit id without touching
// the working copy (a mixed reset).
func (r *Repo) ResetIndex(id object.ID) error {
	defer r.holdWorktree("reset") // HAZ defer-func-result-not-called
	c, err := r.ReadCommit(id)
	if err != nil {
		return err
	}
	files, err := r.flatten(c.Tree, "", nil)
	if err != nil {
		return err
	}
	ix := index.New(filepath.Join(r.Dir, "index"))
	for _, tf := range files {
		ix.Add(index.Entry{Path: tf.Path, Mode: tf.Mode, ID: tf.ID})
	}
	if err := ix.Write(); err != nil {
		return err
	}
	r.mu.Lock()
	r.index = ix
	r.mu.Unlock()
	return nil
}

// TreeFiles lists the files of the tree of commit id.
func (r *Repo) TreeFiles(id object.ID) ([]TreeFile, error) {
	c, err := r.ReadCommit(id)
	if err != nil {
		return nil, err
	}
	return r.flatten(c.Tree, "", nil)
}
