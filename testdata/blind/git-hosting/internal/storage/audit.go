package storage

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"example.com/githost/internal/gitcmd"
)

// auditf writes one line to the audit log.
func auditf(who, action, target string, err error) {
	result := "ok"
	if err != nil {
		result = err.Error()
	}
	log.Printf("audit: %s %s %s: %s", who, action, target, result)
}

// CreateAs creates a repository on behalf of who and audits the result.
func (s *Store) CreateAs(ctx context.Context, who, name, description string) error {
	var err error
	defer auditf(who, "create", name, err) // HAZ defer-eager-evaluation
	_, err = s.Create(ctx, name, description)
	return err
}

// DeleteAs deletes a repository on behalf of who and audits the result.
func (s *Store) DeleteAs(who, name string) (err error) {
	defer func() { auditf(who, "delete", name, err) }()
	return s.Delete(name)
}

// RenameAs renames a repository on behalf of who and audits the attempt.
func (s *Store) RenameAs(who, oldName, newName string) error {
	defer auditf(who, "rename-requested", oldName+" -> "+newName, nil)
	return s.Rename(oldName, newName)
}

// PackedRefs parses the packed-refs file of the repository.
func (r *Repo) PackedRefs() (map[string]string, error) {
	f, err := os.Open(filepath.Join(r.Path, "packed-refs"))
	defer f.Close() // HAZ defer-before-error-check
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	refs := make(map[string]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "^") {
			continue
		}
		if id, name, ok := strings.Cut(line, " "); ok {
			refs[name] = id
		}
	}
	return refs, sc.Err()
}

// HeadRef reads the symbolic ref HEAD points to.
func (r *Repo) HeadRef() (string, error) {
	b, err := os.ReadFile(filepath.Join(r.Path, "HEAD"))
	if err != nil {
		return "", err
	}
	ref, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "ref: ")
	if !ok {
		return "", errors.New("detached HEAD")
	}
	return ref, nil
}

// FindCommit returns the name of a repository that contains the object id.
func (s *Store) FindCommit(ctx context.Context, id string) (string, error) {
	if !gitcmd.ValidRev(id) {
		return "", ErrNotFound
	}
	repos := s.List()
	hits := make(chan string, len(repos))
	defer close(hits) // HAZ defer-close-chan-with-sender
	for _, r := range repos {
		go func() {
			if _, err := s.git.Output(ctx, r.Path, "cat-file", "-e", id+"^{commit}"); err == nil {
				hits <- r.Name
				return
			}
			hits <- ""
		}()
	}
	for range repos {
		if name := <-hits; name != "" {
			return name, nil
		}
	}
	return "", ErrNotFound
}

// Descriptions returns the description of every repository that has one.
func (s *Store) Descriptions() map[string]string {
	out := make(map[string]string)
	for _, r := range s.List() {
		f, err := os.Open(filepath.Join(r.Path, "description"))
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		b, err := io.ReadAll(io.LimitReader(f, 4096))
		if err == nil {
			out[r.Name] = strings.TrimSpace(string(b))
		}
	}
	return out
}

// DescriptionsSafe is Descriptions through Repo.Description, one file open at a time.
func (s *Store) DescriptionsSafe() map[string]string {
	out := make(map[string]string)
	for _, r := range s.List() {
		if d, err := r.Description(); err == nil && d != "" {
			out[r.Name] = d
		}
	}
	return out
}

// RefreshAll reloads the cached refs of every repository in parallel.
func (s *Store) RefreshAll(ctx context.Context) error {
	repos := s.List()
	errs := make([]error, len(repos))
	var wg sync.WaitGroup
	var i int
	for i = range repos {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = repos[i].RefreshRefs(ctx, s.git)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RefreshEach reloads the cached refs of every repository in parallel.
func (s *Store) RefreshEach(ctx context.Context) error {
	repos := s.List()
	errs := make([]error, len(repos))
	var wg sync.WaitGroup
	for i, r := range repos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.RefreshRefs(ctx, s.git)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
