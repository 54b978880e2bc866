package index

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Source lists what a storage backend holds.
type Source interface {
	Modules(ctx context.Context) ([]string, error)
	Versions(ctx context.Context, mod string) ([]Entry, error)
}

// Rebuilder rebuilds the index from a Source with a pool of workers.
type Rebuilder struct {
	src     Source
	workers int
	log     *log.Logger
}

// NewRebuilder returns a Rebuilder using n workers.
func NewRebuilder(src Source, n int, logger *log.Logger) *Rebuilder {
	if n < 1 {
		n = 1
	}
	return &Rebuilder{src: src, workers: n, log: logger}
}

// Rebuild lists every module of the source and returns a fresh index. The
// first listing error aborts the rebuild.
func (r *Rebuilder) Rebuild(ctx context.Context) (*Index, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mods, err := r.src.Modules(ctx)
	if err != nil {
		return nil, err
	}

	jobs := make(chan string)
	results := make(chan []Entry)
	errs := make(chan error, r.workers)
	var wg sync.WaitGroup
	for w := 0; w < r.workers; w++ {
		wg.Add(1)
		go r.worker(ctx, jobs, results, errs, &wg)
	}
	go func() {
		defer close(jobs)
		for _, m := range mods {
			select {
			case jobs <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	x := New()
	for es := range results {
		for _, e := range es {
			x.Add(e)
		}
	}
	select {
	case err := <-errs:
		return nil, err
	default:
	}
	return x, ctx.Err()
}

// worker lists the versions of the modules it receives. It stops at the
// first error; errs has room for one error per worker.
func (r *Rebuilder) worker(ctx context.Context, jobs <-chan string, out chan<- []Entry, errs chan<- error, wg *sync.WaitGroup) {
	defer wg.Done()
	for mod := range jobs {
		es, err := r.src.Versions(ctx, mod)
		if err != nil {
			errs <- fmt.Errorf("index: %s: %w", mod, err)
			return
		}
		out <- es
	}
}

// ScanDirs reads the on-disk layout of several mirror roots concurrently.
func (r *Rebuilder) ScanDirs(dirs []string) []Entry {
	var (
		mu  sync.Mutex
		all []Entry
		wg  sync.WaitGroup
	)
	for _, dir := range dirs {
		wg.Add(1)
		go func() {
			entries, err := scanDir(dir)
			if err != nil {
				r.log.Printf("index: scan %s: %v", dir, err)
				return
			}
			mu.Lock()
			all = append(all, entries...)
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return all
}

// scanDir collects the .info files under a GOPROXY-layout directory.
func scanDir(root string) ([]Entry, error) {
	var out []Entry
	err := filepath.WalkDir(root, func(path string, de os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() || !strings.HasSuffix(path, ".info") {
			return nil
		}
		if e, ok := readInfo(root, path); ok {
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// readInfo turns <root>/<module>/@v/<version>.info into an Entry. Mirrors
// written by very old releases left some .info files at the wrong depth;
// those are skipped.
func readInfo(root, path string) (e Entry, ok bool) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	rel := filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
	at := strings.LastIndex(rel, "/@v/")
	e.Module = rel[:at]
	e.Version = strings.TrimSuffix(rel[at+len("/@v/"):], ".info")
	b, err := os.ReadFile(path)
	if err != nil {
		return e, false
	}
	var info struct{ Digest string }
	if err := json.Unmarshal(b, &info); err != nil {
		return e, false
	}
	e.Digest = info.Digest
	return e, true
}

// VerifyDigests checks in parallel that every entry's blob exists with the
// recorded size and returns the entries that failed.
func (r *Rebuilder) VerifyDigests(entries []Entry, size func(digest string) (int64, error)) []Entry {
	bad := make(chan Entry, len(entries))
	var wg sync.WaitGroup
	for _, e := range entries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := size(e.Digest)
			if err != nil || n != e.Size {
				bad <- e
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	close(bad)
	var out []Entry
	for e := range bad {
		out = append(out, e)
	}
	return out
}

// StreamDirs sends the entries of every dir on out as they are found and
// closes out when done.
func (r *Rebuilder) StreamDirs(dirs []string, out chan<- Entry) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, dir := range dirs {
		go func() {
			entries, err := scanDir(dir)
			if err != nil {
				r.log.Printf("index: scan %s: %v", dir, err)
				return
			}
			for _, e := range entries {
				out <- e
			}
		}()
	}
}

// Scan streams the entries of dirs on the returned channel, which is closed
// once every directory has been handed to a scanner.
func (r *Rebuilder) Scan(ctx context.Context, dirs []string) <-chan Entry {
	out := make(chan Entry)
	go func() {
		defer close(out) // HAZ defer-close-chan-with-sender
		for _, dir := range dirs {
			go r.scanInto(ctx, dir, out)
		}
	}()
	return out
}

// scanInto sends the entries of one directory on out.
func (r *Rebuilder) scanInto(ctx context.Context, dir string, out chan<- Entry) {
	entries, err := scanDir(dir)
	if err != nil {
		r.log.Printf("index: scan %s: %v", dir, err)
		return
	}
	for _, e := range entries {
		select {
		case out <- e:
		case <-ctx.Done():
			return
		}
	}
}

// StreamContext is StreamDirs with cancellation; it waits for its scanners
// before the deferred close runs.
func (r *Rebuilder) StreamContext(ctx context.Context, dirs []string, out chan<- Entry) {
	defer close(out)
	var wg sync.WaitGroup
	for _, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries, err := scanDir(dir)
			if err != nil {
				r.log.Printf("index: scan %s: %v", dir, err)
				return
			}
			for _, e := range entries {
				select {
				case out <- e:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	wg.Wait()
}

// FindDigest asks every source in parallel for mod@ver and returns the first
// digest reported. A source error is returned at once: it means a backend is
// misconfigured.
func FindDigest(ctx context.Context, srcs []Source, mod, ver string) (string, error) {
	type answer struct {
		digest string
		err    error
	}
	ch := make(chan answer)
	for _, src := range srcs {
		go func() {
			var a answer
			es, err := src.Versions(ctx, mod)
			a.err = err
			for _, e := range es {
				if e.Version == ver {
					a.digest = e.Digest
					break
				}
			}
			ch <- a // HAZ goroutine-blocked-send
		}()
	}
	for range srcs {
		a := <-ch
		if a.err != nil {
			return "", a.err
		}
		if a.digest != "" {
			return a.digest, nil
		}
	}
	return "", fmt.Errorf("index: %s@%s not found in %d sources", mod, ver, len(srcs))
}

// FindDigestAll is FindDigest for the admin page, which wants every
// source's answer; it drains the channel before returning.
func FindDigestAll(ctx context.Context, srcs []Source, mod, ver string) map[int]string {
	type answer struct {
		i      int
		digest string
	}
	ch := make(chan answer)
	for i, src := range srcs {
		go func() {
			es, _ := src.Versions(ctx, mod)
			a := answer{i: i}
			for _, e := range es {
				if e.Version == ver {
					a.digest = e.Digest
				}
			}
			ch <- a
		}()
	}
	found := make(map[int]string)
	for range srcs {
		if a := <-ch; a.digest != "" {
			found[a.i] = a.digest
		}
	}
	return found
}

// Refresh adds the current versions of mods to x and persists the index when
// it is done.
func (r *Rebuilder) Refresh(ctx context.Context, x *Index, mods []string, path string) error {
	defer x.Snapshot().SaveTo(path) // HAZ defer-call-chain
	for _, mod := range mods {
		es, err := r.src.Versions(ctx, mod)
		if err != nil {
			return err
		}
		for _, e := range es {
			x.Add(e)
		}
	}
	return nil
}

// RefreshAndSave is Refresh with the save done at exit time and its error
// reported.
func (r *Rebuilder) RefreshAndSave(ctx context.Context, x *Index, mods []string, path string) (err error) {
	defer func() {
		if serr := x.SaveTo(path); err == nil {
			err = serr
		}
	}()
	for _, mod := range mods {
		es, err := r.src.Versions(ctx, mod)
		if err != nil {
			return err
		}
		for _, e := range es {
			x.Add(e)
		}
	}
	return nil
}
