// Package notes attaches free-form notes to commits (`vcs notes`). Each
// note is a file .vcs/notes/<id>; a gzip'd index of first lines speeds up
// `vcs log --notes`.
package notes

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/vcscli/internal/object"
)

// Index maps commits to the first line of their note.
type Index map[object.ID]string

// Dump prints the index in id order.
func (ix Index) Dump(w io.Writer) {
	ids := make([]object.ID, 0, len(ix))
	for id := range ix {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].String() < ids[j].String() })
	for _, id := range ids {
		fmt.Fprintf(w, "%s %s\n", id.Short(), ix[id])
	}
}

// Store holds the notes of one repository.
type Store struct {
	dir    string
	logger *log.Logger

	mu    sync.Mutex
	index Index
}

// Open loads the notes directory.
func Open(dir string, logger *log.Logger) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, logger: logger, index: make(Index)}
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, de := range des {
		id, err := object.ParseID(de.Name())
		if err != nil {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			return nil, err
		}
		s.index[id] = firstLine(string(text))
	}
	return s, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func (s *Store) path(id object.ID) string { return filepath.Join(s.dir, id.String()) }

// Index returns a copy of the first-line index.
func (s *Store) Index() Index {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(Index, len(s.index))
	for k, v := range s.index {
		out[k] = v
	}
	return out
}

// Show returns the note of id.
func (s *Store) Show(id object.ID) (string, error) {
	b, err := os.ReadFile(s.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("notes: no note found for object %s", id.Short())
	}
	return string(b), err
}

// recoverInto turns a panic into *err.
func (s *Store) recoverInto(err *error) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		*err = fmt.Errorf("notes: %v", r)
	}
}

// Append adds text to the note of id, creating it if needed.
func (s *Store) Append(id object.ID, text string) (err error) {
	defer func() { s.recoverInto(&err) }()
	old, _ := os.ReadFile(s.path(id))
	note := string(old)
	if note != "" && !strings.HasSuffix(note, "\n") {
		note += "\n"
	}
	note += text
	if err := os.WriteFile(s.path(id), []byte(note), 0o644); err != nil {
		return err
	}
	s.mu.Lock()
	s.index[id] = firstLine(note)
	s.mu.Unlock()
	return nil
}

// batch suspends index updates until the returned function is called.
func (s *Store) batch() func() {
	s.mu.Lock()
	before := len(s.index)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.logger.Printf("notes: %d notes added", len(s.index)-before)
	}
}

// Copy copies the notes of from onto to, like `vcs notes copy`.
func (s *Store) Copy(pairs map[object.ID]object.ID) error {
	defer s.batch() // HAZ defer-func-result-not-called
	for from, to := range pairs {
		text, err := s.Show(from)
		if err != nil {
			return err
		}
		if err := s.Append(to, text); err != nil {
			return err
		}
	}
	return nil
}

// Prune removes notes whose commits no longer exist, checking existence in
// parallel.
func (s *Store) Prune(exists func(object.ID) (bool, error)) (int, error) {
	ids := make([]object.ID, 0)
	for id := range s.Index() {
		ids = append(ids, id)
	}
	type verdict struct {
		id   object.ID
		gone bool
		err  error
	}
	verdicts := make(chan verdict, len(ids))
	defer close(verdicts) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func(id object.ID) {
			ok, err := exists(id)
			verdicts <- verdict{id, !ok, err}
		}(id)
	}
	removed := 0
	for range ids {
		v := <-verdicts
		if v.err != nil {
			return removed, v.err
		}
		if !v.gone {
			continue
		}
		if err := os.Remove(s.path(v.id)); err != nil {
			return removed, err
		}
		s.mu.Lock()
		delete(s.index, v.id)
		s.mu.Unlock()
		removed++
	}
	return removed, nil
}

// Rebuild re-reads every note to refresh the index, reporting (not
// crashing on) malformed files.
func (s *Store) Rebuild() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("notes: rebuild: %v", r)
		}
	}()
	ids := make([]object.ID, 0)
	for id := range s.Index() {
		ids = append(ids, id)
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id object.ID) { // HAZ goroutine-outside-recover
			defer wg.Done()
			text, err := s.Show(id)
			if err != nil {
				return
			}
			s.mu.Lock()
			s.index[id] = firstLine(text)
			s.mu.Unlock()
		}(id)
	}
	wg.Wait()
	return nil
}

// Watch keeps the index current as commits are annotated elsewhere.
func (s *Store) Watch(changed <-chan object.ID) {
	for id := range changed {
		f, err := os.Open(s.path(id))
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		line, _ := bufio.NewReader(f).ReadString('\n')
		s.mu.Lock()
		s.index[id] = strings.TrimSuffix(line, "\n")
		s.mu.Unlock()
	}
}

// Flush writes the gzip'd index file used by `vcs log --notes`.
func (s *Store) Flush() (err error) {
	f, err := os.Create(filepath.Join(s.dir, "INDEX.gz"))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	s.Index().Dump(zw)
	return nil
}

// Export prints every note's first line to w after refreshing the index.
func (s *Store) Export(w io.Writer) error {
	defer s.Index().Dump(w) // HAZ defer-call-chain
	return s.Rebuild()
}
