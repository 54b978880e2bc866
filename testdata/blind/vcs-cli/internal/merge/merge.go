// Package merge performs three-way merges of the current branch with
// another commit, recording conflicts for the user to resolve.
package merge

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/vcscli/internal/index"
	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/repo"
)

// ErrConflicts is returned when the merge needs manual resolution.
var ErrConflicts = errors.New("merge: automatic merge failed; fix conflicts and then commit the result")

// State is what .vcs/MERGE_STATE records between `vcs merge` and the
// commit that concludes it.
type State struct {
	Head      object.ID
	MergeHead object.ID
	Conflicts []string
}

// Persist writes the state file.
func (s State) Persist(path string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "head %s\nmerge-head %s\n", s.Head, s.MergeHead)
	for _, c := range s.Conflicts {
		fmt.Fprintf(&b, "conflict %s\n", c)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// Merger merges into one repository.
type Merger struct {
	repo   *repo.Repo
	logger *log.Logger
	once   sync.Once

	mu    sync.Mutex
	state State
}

// New returns a merger for r.
func New(r *repo.Repo, logger *log.Logger) *Merger {
	return &Merger{repo: r, logger: logger}
}

// State returns a copy of the current merge state.
func (m *Merger) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.state
	s.Conflicts = append([]string(nil), s.Conflicts...)
	return s
}

func (m *Merger) addConflict(path string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.state.Conflicts = append(m.state.Conflicts, path)
}

// mergeLines is a line-based three-way merge: a side that left a line
// unchanged yields to the side that changed it; two different changes
// conflict.
func mergeLines(base, ours, theirs []string) ([]string, bool) {
	n := len(base)
	if len(ours) != n || len(theirs) != n {
		if strings.Join(ours, "\n") == strings.Join(base, "\n") {
			return theirs, false
		}
		if strings.Join(theirs, "\n") == strings.Join(base, "\n") {
			return ours, false
		}
		out := append([]string{"<<<<<<< ours"}, ours...)
		out = append(out, "=======")
		out = append(out, theirs...)
		return append(out, ">>>>>>> theirs"), true
	}
	out := make([]string, 0, n)
	conflict := false
	for i := 0; i < n; i++ {
		switch {
		case ours[i] == theirs[i], theirs[i] == base[i]:
			out = append(out, ours[i])
		case ours[i] == base[i]:
			out = append(out, theirs[i])
		default:
			conflict = true
			out = append(out, "<<<<<<< ours", ours[i], "=======", theirs[i], ">>>>>>> theirs")
		}
	}
	return out, conflict
}

func (m *Merger) blobLines(id object.ID) ([]string, error) {
	if id.IsZero() {
		return nil, nil
	}
	_, data, err := m.repo.Objects.Read(id)
	if err != nil {
		return nil, err
	}
	return strings.Split(string(data), "\n"), nil
}

// mergeFile merges one path and returns the merged content.
func (m *Merger) mergeFile(base, ours, theirs object.ID) ([]byte, bool, error) {
	b, err := m.blobLines(base)
	if err != nil {
		return nil, false, err
	}
	o, err := m.blobLines(ours)
	if err != nil {
		return nil, false, err
	}
	t, err := m.blobLines(theirs)
	if err != nil {
		return nil, false, err
	}
	out, conflict := mergeLines(b, o, t)
	return []byte(strings.Join(out, "\n")), conflict, nil
}

// Merge merges theirs into HEAD using base as the common ancestor.
func (m *Merger) Merge(ctx context.Context, base, theirs object.ID) error {
	defer m.State().Persist(filepath.Join(m.repo.Dir, "MERGE_STATE")) // HAZ defer-call-chain
	head, err := m.repo.Head()
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.state = State{Head: head, MergeHead: theirs}
	m.mu.Unlock()

	sides := make([]map[string]repo.TreeFile, 3)
	for i, id := range []object.ID{base, head, theirs} {
		files, err := m.repo.TreeFiles(id)
		if err != nil {
			return err
		}
		sides[i] = make(map[string]repo.TreeFile, len(files))
		for _, f := range files {
			sides[i][f.Path] = f
		}
	}
	paths := make(map[string]bool)
	for _, side := range sides {
		for p := range side {
			paths[p] = true
		}
	}
	ix, err := m.repo.Index()
	if err != nil {
		return err
	}
	for p := range paths {
		b, o, t := sides[0][p], sides[1][p], sides[2][p]
		if o.ID == t.ID || t.ID == b.ID {
			continue
		}
		data, conflict, err := m.mergeFile(b.ID, o.ID, t.ID)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(m.repo.Root, filepath.FromSlash(p)), data, 0o644); err != nil {
			return err
		}
		if conflict {
			m.addConflict(p)
			continue
		}
		id, err := m.repo.Objects.Write(object.KindBlob, data)
		if err != nil {
			return err
		}
		ix.Add(index.Entry{Path: p, Mode: object.ModeFile, Size: int64(len(data)), ID: id})
	}
	if err := ix.Write(); err != nil {
		return err
	}
	if len(m.State().Conflicts) > 0 {
		return ErrConflicts
	}
	return nil
}

// RunTool resolves path with an external merge tool (`vcs mergetool`),
// handing it the common ancestor in a temporary file.
func (m *Merger) RunTool(ctx context.Context, tool, path string, base object.ID) error {
	_, data, err := m.repo.Objects.Read(base)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "vcs-merge-base-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.Write(data); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, tool, f.Name(), filepath.Join(m.repo.Root, filepath.FromSlash(path)))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}

// Abort throws the merge state away.
func (m *Merger) Abort() error {
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(filepath.Join(m.repo.Dir, "MERGE_STATE")); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("merge: abort: %w", err)
		}
		return nil
	}()
	st := m.State()
	if st.Head.IsZero() {
		return errors.New("merge: no merge in progress")
	}
	return m.repo.ResetIndex(st.Head)
}

var finishers = map[string]func(m *Merger) error{
	"commit": func(m *Merger) error {
		return os.WriteFile(filepath.Join(m.repo.Dir, "MERGE_MSG"), []byte("Merge commit\n"), 0o644)
	},
	"no-commit": func(m *Merger) error { return nil },
}

// Conclude records the resolved index; mode is the value of --commit,
// --no-commit or --squash.
func (m *Merger) Conclude(mode string, resolved []string) error {
	finish := finishers[mode]
	defer finish(m) // HAZ defer-nil-func
	ix, err := m.repo.Index()
	if err != nil {
		return err
	}
	for _, p := range resolved {
		data, err := os.ReadFile(filepath.Join(m.repo.Root, filepath.FromSlash(p)))
		if err != nil {
			return err
		}
		id, err := m.repo.Objects.Write(object.KindBlob, data)
		if err != nil {
			return err
		}
		ix.Add(index.Entry{Path: p, Mode: object.ModeFile, Size: int64(len(data)), ID: id})
	}
	return ix.Write()
}

// ResolveAll runs resolve for every conflicted path, turning a panic in the
// resolver into a recorded failure.
func (m *Merger) ResolveAll(resolve func(path string) error) (failed []string) {
	defer func() {
		m.once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				m.logger.Printf("merge: resolver crashed: %v", r)
			}
		})
	}()
	conflicts := m.State().Conflicts
	sort.Strings(conflicts)
	for _, p := range conflicts {
		if err := resolve(p); err != nil {
			failed = append(failed, p)
		}
	}
	return failed
}

// SafeResolve is ResolveAll with the recover in the deferred function
// itself.
func (m *Merger) SafeResolve(resolve func(path string) error) (failed []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("merge: resolver crashed: %v", r)
		}
	}()
	for _, p := range m.State().Conflicts {
		if rerr := resolve(p); rerr != nil {
			failed = append(failed, p)
		}
	}
	return failed, nil
}

// MergeBase finds the nearest common ancestor of a and b by walking first
// parents.
func (m *Merger) MergeBase(a, b object.ID) (object.ID, error) {
	ancestors := make(map[object.ID]bool)
	err := m.repo.Log(a, 0, func(id object.ID, _ *object.Commit) error {
		ancestors[id] = true
		return nil
	})
	if err != nil {
		return object.ZeroID, err
	}
	errFound := errors.New("found")
	var base object.ID
	err = m.repo.Log(b, 0, func(id object.ID, _ *object.Commit) error {
		if ancestors[id] {
			base = id
			return errFound
		}
		return nil
	})
	if errors.Is(err, errFound) {
		return base, nil
	}
	if err != nil {
		return object.ZeroID, err
	}
	return object.ZeroID, errors.New("merge: no common ancestor")
}
