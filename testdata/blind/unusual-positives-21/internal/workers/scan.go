package workers

import (
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Warm prefetches digests, one goroutine per digest, and reports how many
// were started alongside the per-digest errors.
func Warm(digests []string, fetch func(string) error) (int, []error) {
	errs := make([]error, len(digests))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(digests); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = fetch(digests[i])
		}()
	}
	wg.Wait()
	return i, errs
}

// WarmAll is Warm with the index declared by the loop itself, which gives
// every iteration its own copy under Go 1.22.
func WarmAll(digests []string, fetch func(string) error) []error {
	errs := make([]error, len(digests))
	var wg sync.WaitGroup
	for i := 0; i < len(digests); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fetch(digests[i])
		}()
	}
	wg.Wait()
	return errs
}

// WarmFrom resumes a warm-up at position start; the outer index is handed to
// each goroutine as an argument.
func WarmFrom(digests []string, start int, fetch func(string) error) []error {
	errs := make([]error, len(digests))
	var wg sync.WaitGroup
	var i int
	for i = start; i < len(digests); i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = fetch(digests[i])
		}(i)
	}
	wg.Wait()
	log.Printf("warm: resumed at %d, stopped at %d", start, i)
	return errs
}

// Scanner lists blob files in cache directories.
type Scanner struct {
	timeout time.Duration
}

// NewScanner returns a scanner that waits at most timeout for results.
func NewScanner(timeout time.Duration) *Scanner {
	return &Scanner{timeout: timeout}
}

func (s *Scanner) scanDir(dir string, out chan<- string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		log.Printf("scan %s: %v", dir, err)
		return
	}
	for _, e := range ents {
		if e.Type().IsRegular() {
			out <- filepath.Join(dir, e.Name())
		}
	}
}

// Collect returns up to limit blob paths found under dirs within the timeout.
func (s *Scanner) Collect(dirs []string, limit int) []string {
	found := make(chan string, 64)
	defer close(found) // HAZ defer-close-chan-with-sender
	for _, d := range dirs {
		go s.scanDir(d, found)
	}
	deadline := time.After(s.timeout)
	out := make([]string, 0, limit)
	for len(out) < limit {
		select {
		case p := <-found:
			out = append(out, p)
		case <-deadline:
			return out
		}
	}
	return out
}

// CollectAll returns every blob path under dirs. The channel is closed by a
// goroutine that first waits for all scanners.
func (s *Scanner) CollectAll(dirs []string) []string {
	found := make(chan string)
	var wg sync.WaitGroup
	for _, d := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.scanDir(d, found)
		}()
	}
	go func() {
		wg.Wait()
		close(found)
	}()
	var out []string
	for p := range found {
		out = append(out, p)
	}
	return out
}
