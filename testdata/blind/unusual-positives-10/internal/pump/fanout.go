package pump

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sync"
	"time"
)

// Hit is the result of scanning one root.
type Hit struct {
	Root string
	Path string
	Err  error
}

// Scanner looks for a file whose name matches, under several roots at once.
type Scanner struct {
	match   func(name string) bool
	timeout time.Duration
}

// NewScanner returns a scanner that gives up after timeout.
func NewScanner(match func(string) bool, timeout time.Duration) *Scanner {
	return &Scanner{match: match, timeout: timeout}
}

// scanRoot walks root and sends exactly one Hit to out.
func (s *Scanner) scanRoot(root string, out chan<- Hit) {
	hit := Hit{Root: root}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && s.match(d.Name()) {
			hit.Path = path
			return fs.SkipAll
		}
		return nil
	})
	switch {
	case err != nil:
		hit.Err = err
	case hit.Path == "":
		hit.Err = fs.ErrNotExist
	}
	out <- hit
}

// First returns the first match found under any root. The channel has room
// for every root, so no scanner ever waits to send.
func (s *Scanner) First(roots []string) (Hit, error) {
	hits := make(chan Hit, len(roots))
	defer close(hits) // HAZ defer-close-chan-with-sender
	for _, root := range roots {
		go s.scanRoot(root, hits)
	}
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	var errs []error
	for range roots {
		select {
		case h := <-hits:
			if h.Err == nil {
				return h, nil
			}
			errs = append(errs, h.Err)
		case <-timer.C:
			return Hit{}, errors.New("pump: scan timed out")
		}
	}
	return Hit{}, errors.Join(errs...)
}

// Count reports how many roots contain a match. It takes one Hit from every
// scanner before it returns, so the deferred close comes after the last send.
func (s *Scanner) Count(roots []string) int {
	hits := make(chan Hit)
	defer close(hits)
	for _, root := range roots {
		go s.scanRoot(root, hits)
	}
	n := 0
	for range roots {
		if h := <-hits; h.Err == nil {
			n++
		}
	}
	return n
}

// All returns every hit. The channel is closed by a goroutine that first
// waits for all scanners.
func (s *Scanner) All(roots []string) []Hit {
	hits := make(chan Hit)
	var wg sync.WaitGroup
	for _, root := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.scanRoot(root, hits)
		}()
	}
	go func() {
		wg.Wait()
		close(hits)
	}()
	var out []Hit
	for h := range hits {
		if h.Err == nil {
			out = append(out, h)
		}
	}
	return out
}
