package repo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"example.com/vcscli/internal/index"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/trace"
)

// ErrNothingToCommit is returned when the index matches HEAD.
var ErrNothingToCommit = errors.New("nothing to commit, working tree clean")

type dirNode struct {
	files map[string]index.Entry
	dirs  map[string]*dirNode
}

// WriteTree stores the tree objects for entries and returns the root id.
func (r *Repo) WriteTree(entries []index.Entry) (object.ID, error) {
	root := &dirNode{files: make(map[string]index.Entry), dirs: make(map[string]*dirNode)}
	for _, e := range entries {
		node := root
		parts := strings.Split(e.Path, "/")
		for _, dir := range parts[:len(parts)-1] {
			child, ok := node.dirs[dir]
			if !ok {
				child = &dirNode{files: make(map[string]index.Entry), dirs: make(map[string]*dirNode)}
				node.dirs[dir] = child
			}
			node = child
		}
		node.files[parts[len(parts)-1]] = e
	}
	return r.writeNode(root)
}

func (r *Repo) writeNode(n *dirNode) (object.ID, error) {
	t := &object.Tree{}
	for name, child := range n.dirs {
		id, err := r.writeNode(child)
		if err != nil {
			return object.ZeroID, err
		}
		t.Entries = append(t.Entries, object.TreeEntry{Mode: object.ModeDir, Name: name, ID: id})
	}
	for name, e := range n.files {
		t.Entries = append(t.Entries, object.TreeEntry{Mode: e.Mode, Name: name, ID: e.ID})
	}
	return r.Objects.Write(object.KindTree, t.Encode())
}

// Commit records the index as a new commit on the current branch.
func (r *Repo) Commit(ctx context.Context, msg string, who object.Signature) (id object.ID, err error) {
	span := trace.Start("commit")
	defer span.Finish(err) // HAZ defer-eager-evaluation
	ix, err := r.Index()
	if err != nil {
		return object.ZeroID, err
	}
	if err = r.Hooks.Run(ctx, "pre-commit"); err != nil {
		return object.ZeroID, err
	}
	tree, err := r.WriteTree(ix.Entries())
	if err != nil {
		return object.ZeroID, err
	}
	c := &object.Commit{Tree: tree, Author: who, Committer: who, Message: msg}
	parent, err := r.Head()
	switch {
	case err == nil:
		head, herr := r.ReadCommit(parent)
		if herr == nil && head.Tree == tree {
			return object.ZeroID, ErrNothingToCommit
		}
		c.Parents = []object.ID{parent}
	case errors.Is(err, refs.ErrNotFound):
		parent = object.ZeroID // first commit
	default:
		return object.ZeroID, err
	}
	id, err = r.Objects.Write(object.KindCommit, c.Encode())
	if err != nil {
		return object.ZeroID, err
	}
	branch, err := r.CurrentBranch()
	if err != nil {
		return object.ZeroID, err
	}
	span.Set("branch", branch)
	if err = r.Refs.Update(branch, id, parent); err != nil {
		return object.ZeroID, err
	}
	_ = r.Refs.AppendReflog(branch, refs.ReflogEntry{Old: parent, New: id, Who: who.Name, When: who.When, Msg: "commit: " + strings.SplitN(msg, "\n", 2)[0]})
	r.Hooks.Notify(ctx, "post-commit")
	return id, nil
}

// Amend replaces the tip commit with one that has a new message.
func (r *Repo) Amend(ctx context.Context, msg string, who object.Signature) (id object.ID, err error) {
	span := trace.Start("amend")
	defer func() { span.Finish(err) }()
	tip, err := r.Head()
	if err != nil {
		return object.ZeroID, err
	}
	old, err := r.ReadCommit(tip)
	if err != nil {
		return object.ZeroID, err
	}
	c := &object.Commit{Tree: old.Tree, Parents: old.Parents, Author: old.Author, Committer: who, Message: msg}
	id, err = r.Objects.Write(object.KindCommit, c.Encode())
	if err != nil {
		return object.ZeroID, err
	}
	branch, err := r.CurrentBranch()
	if err != nil {
		return object.ZeroID, err
	}
	if err = r.Refs.Update(branch, id, tip); err != nil {
		return object.ZeroID, err
	}
	return id, nil
}

// Log calls fn for start and its first-parent ancestors, newest first.
func (r *Repo) Log(start object.ID, limit int, fn func(object.ID, *object.Commit) error) error {
	defer trace.Region("log")()
	id := start
	for n := 0; limit <= 0 || n < limit; n++ {
		c, err := r.ReadCommit(id)
		if err != nil {
			return err
		}
		if err := fn(id, c); err != nil {
			return err
		}
		if len(c.Parents) == 0 {
			return nil
		}
		id = c.Parents[0]
	}
	return nil
}

// CommitTemplate returns the commit template followed by any pending merge
// message, for the editor buffer of `vcs commit`.
func (r *Repo) CommitTemplate() (string, error) {
	var sb strings.Builder
	f, err := os.Open(r.Config.GetDefault("commit.template", filepath.Join(r.Dir, "COMMIT_TEMPLATE")))
	if err != nil {
		return "", err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if _, err := io.Copy(&sb, f); err != nil {
		return "", err
	}
	f, err = os.Open(filepath.Join(r.Dir, "MERGE_MSG"))
	if err == nil {
		if _, err := io.Copy(&sb, f); err != nil {
			return "", err
		}
	}
	return sb.String(), nil
}

// PendingMessage returns MERGE_MSG or SQUASH_MSG, whichever exists.
func (r *Repo) PendingMessage() (string, error) {
	for _, name := range []string{"MERGE_MSG", "SQUASH_MSG"} {
		b, err := os.ReadFile(filepath.Join(r.Dir, name))
		if err == nil {
			return string(b), nil
		}
		if !os.IsNotExist(err) {
			return "", fmt.Errorf("read %s: %w", name, err)
		}
	}
	return "", nil
}
