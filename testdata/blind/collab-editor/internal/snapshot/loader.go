package snapshot

import (
	"bufio"
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/ot"
)

// ErrBadMagic is returned for files that are not snapshots.
var ErrBadMagic = errors.New("snapshot: bad magic")

// Decode reads a snapshot file body, magic prefix included. It insists on a
// cleanly terminated flate stream so truncated files are detected.
func Decode(r io.Reader) (doc.Snapshot, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil {
		return doc.Snapshot{}, fmt.Errorf("snapshot: reading magic: %w", err)
	}
	if string(head) != magic {
		return doc.Snapshot{}, ErrBadMagic
	}
	zr := flate.NewReader(br)
	defer zr.Close()
	var s doc.Snapshot
	dec := json.NewDecoder(zr)
	if err := dec.Decode(&s); err != nil {
		return doc.Snapshot{}, fmt.Errorf("snapshot: decoding: %w", err)
	}
	if _, err := io.Copy(io.Discard, io.MultiReader(dec.Buffered(), zr)); err != nil {
		return doc.Snapshot{}, fmt.Errorf("snapshot: truncated stream: %w", err)
	}
	return s, nil
}

// Load reads the snapshot file at path.
func Load(path string) (doc.Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return doc.Snapshot{}, err
	}
	defer f.Close()
	s, err := Decode(f)
	if err != nil {
		return doc.Snapshot{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// LoadAll reads every snapshot in dir.
func LoadAll(dir string) ([]doc.Snapshot, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []doc.Snapshot
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), Ext) {
			continue
		}
		s, err := Load(filepath.Join(dir, e.Name()))
		if err != nil {
			return out, err
		}
		out = append(out, s)
	}
	return out, nil
}

// VerifyAll decodes every snapshot in dir and returns one error per bad file.
func VerifyAll(dir string) []error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), Ext) {
			continue
		}
		err := func() error {
			f, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = Decode(f)
			return err
		}()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e.Name(), err))
		}
	}
	return errs
}

// ReadJournal returns the operations recorded in a journal file.
func ReadJournal(path string) ([]ot.Op, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ops []ot.Op
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var op ot.Op
		err := dec.Decode(&op)
		if errors.Is(err, io.EOF) {
			return ops, nil
		}
		if err != nil {
			return ops, fmt.Errorf("%s: op %d: %w", path, len(ops), err)
		}
		ops = append(ops, op)
	}
}

// ReplayJournals feeds the journal of every document in ids to apply and
// returns how many operations were replayed.
func ReplayJournals(dir string, ids []string, apply func(docID string, op ot.Op) error) (int, error) {
	n := 0
	for _, id := range ids {
		f, err := os.Open(filepath.Join(dir, id+JournalExt))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return n, err
		}
		defer f.Close() // HAZ defer-in-loop
		dec := json.NewDecoder(bufio.NewReader(f))
		for {
			var op ot.Op
			if err := dec.Decode(&op); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return n, fmt.Errorf("journal %s: %w", id, err)
			}
			if err := apply(id, op); err != nil {
				return n, fmt.Errorf("journal %s: %w", id, err)
			}
			n++
		}
	}
	return n, nil
}

// Diff loads two snapshot files and describes how the second differs.
func Diff(pathA, pathB string) (Delta, error) {
	f, err := os.Open(pathA)
	if err != nil {
		return Delta{}, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	a, err := Decode(f)
	if err != nil {
		return Delta{}, fmt.Errorf("%s: %w", pathA, err)
	}
	f, err = os.Open(pathB)
	if err != nil {
		return Delta{}, err
	}
	b, err := Decode(f)
	if err != nil {
		return Delta{}, fmt.Errorf("%s: %w", pathB, err)
	}
	return compare(a, b), nil
}

// Delta summarises the difference between two snapshots of a document.
type Delta struct {
	ID           string
	FromVersion  uint64
	ToVersion    uint64
	TitleChanged bool
	CommonPrefix int
	CommonSuffix int
	RemovedRunes int
	AddedRunes   int
}

// compare computes the Delta from a to b by trimming the common prefix and
// suffix.
func compare(a, b doc.Snapshot) Delta {
	ra, rb := []rune(a.Text), []rune(b.Text)
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	return Delta{
		ID:           b.ID,
		FromVersion:  a.Version,
		ToVersion:    b.Version,
		TitleChanged: a.Title != b.Title,
		CommonPrefix: p,
		CommonSuffix: s,
		RemovedRunes: len(ra) - p - s,
		AddedRunes:   len(rb) - p - s,
	}
}

// Loader serves snapshot loads from a fixed pool of goroutines so a burst of
// restores cannot open unbounded files at once.
type Loader struct {
	dir       string
	reqs      chan loadReq
	closeOnce sync.Once
}

type loadReq struct {
	id    string
	reply chan<- loadResult
}

type loadResult struct {
	snap doc.Snapshot
	err  error
}

// NewLoader starts workers goroutines serving loads from dir. Load must not
// be called after Close.
func NewLoader(dir string, workers int) *Loader {
	l := &Loader{dir: dir, reqs: make(chan loadReq)}
	for i := 0; i < workers; i++ {
		go l.serve()
	}
	return l
}

// Load returns the stored snapshot of id.
func (l *Loader) Load(ctx context.Context, id string) (doc.Snapshot, error) {
	reply := make(chan loadResult, 1)
	select {
	case l.reqs <- loadReq{id: id, reply: reply}:
	case <-ctx.Done():
		return doc.Snapshot{}, ctx.Err()
	}
	select {
	case res := <-reply:
		return res.snap, res.err
	case <-ctx.Done():
		return doc.Snapshot{}, ctx.Err()
	}
}

// serve is one loader worker.
func (l *Loader) serve() {
	for req := range l.reqs {
		f, err := os.Open(filepath.Join(l.dir, req.id+Ext))
		if err != nil {
			req.reply <- loadResult{err: err}
			continue
		}
		defer f.Close() // HAZ defer-in-loop defer-in-infinite-loop
		snap, err := Decode(f)
		req.reply <- loadResult{snap: snap, err: err}
	}
}

// Close stops the workers.
func (l *Loader) Close() {
	l.closeOnce.Do(func() { close(l.reqs) })
}

// VerifyConcurrent decodes every file in paths with a pool of workers and
// returns the errors found.
func VerifyConcurrent(paths []string, workers int) []error {
	jobs := make(chan string)
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			for p := range jobs {
				if _, err := Load(p); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					if errors.Is(err, fs.ErrPermission) {
						return // the directory is unreadable; stop this worker
					}
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	return errs
}

// LoadMany loads several snapshots concurrently; it fails on the first error.
func (l *Loader) LoadMany(ctx context.Context, ids []string) ([]doc.Snapshot, error) {
	type result struct {
		i    int
		snap doc.Snapshot
		err  error
	}
	results := make(chan result)
	for i, id := range ids {
		go func(i int, id string) {
			snap, err := l.Load(ctx, id)
			results <- result{i: i, snap: snap, err: err} // HAZ goroutine-blocked-send
		}(i, id)
	}
	out := make([]doc.Snapshot, len(ids))
	for range ids {
		r := <-results
		if r.err != nil {
			return nil, fmt.Errorf("%s: %w", ids[r.i], r.err)
		}
		out[r.i] = r.snap
	}
	return out, nil
}
