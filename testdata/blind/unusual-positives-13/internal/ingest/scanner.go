package ingest

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up13/internal/catalog"
)

// Scanner walks the drop directories and remembers the files it has seen.
type Scanner struct {
	mu   sync.Mutex
	seen map[string]bool
	stop map[string]bool // marker names that end a scan ("STOP", ".drain")
	cat  *catalog.Catalog
	log  *log.Logger

	scans atomic.Int64
	found atomic.Int64
}

// NewScanner returns a scanner feeding cat.
func NewScanner(cat *catalog.Catalog, stopMarkers ...string) *Scanner {
	s := &Scanner{
		seen: make(map[string]bool),
		stop: make(map[string]bool),
		cat:  cat,
		log:  log.New(os.Stderr, "scanner: ", log.LstdFlags),
	}
	for _, m := range stopMarkers {
		s.stop[m] = true
	}
	return s
}

// ScanDirs counts the files not seen before, stopping at a marker file.
func (s *Scanner) ScanDirs(dirs []string) (int, error) {
	found := 0
scan:
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return found, err
		}
		for _, e := range entries {
			s.mu.Lock() // HAZ lock-leaked-on-return
			if s.stop[e.Name()] {
				break scan
			}
			if !s.seen[e.Name()] {
				s.seen[e.Name()] = true
				found++
			}
			s.mu.Unlock()
		}
	}
	return found, nil
}

// ScanNew returns the paths not seen before. A directory containing a file
// with skipSuffix is still being written and is skipped as a whole; a stop
// marker ends the scan. The lock is released before every jump.
func (s *Scanner) ScanNew(dirs []string, skipSuffix string) ([]string, error) {
	var fresh []string
dirs:
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasSuffix(name, skipSuffix) {
				continue dirs
			}
			s.mu.Lock()
			dup := s.seen[name]
			s.seen[name] = true
			stop := s.stop[name]
			s.mu.Unlock()
			if stop {
				break dirs
			}
			if !dup {
				fresh = append(fresh, filepath.Join(dir, name))
			}
		}
	}
	s.scans.Add(1)
	s.found.Add(int64(len(fresh)))
	return fresh, nil
}

// Tail imports every manifest announced on spool and logs statistics on
// every tick. It runs for the life of the process.
func (s *Scanner) Tail(spool <-chan string, tick <-chan time.Time, errs chan<- error) {
	for {
		select {
		case path := <-spool:
			f, err := os.Open(path)
			if err != nil {
				errs <- err
				break
			}
			defer f.Close() // HAZ defer-in-infinite-loop
			if err := s.importFrom(path, f); err != nil {
				errs <- err
			}
		case <-tick:
			s.logStats()
		}
	}
}

// TailUntil is Tail with an end: it returns when ctx is done or spool is
// closed, and each manifest is closed by importPath.
func (s *Scanner) TailUntil(ctx context.Context, spool <-chan string, errs chan<- error) error {
	for {
		select {
		case path, ok := <-spool:
			if !ok {
				return nil
			}
			if err := s.importPath(path); err != nil {
				select {
				case errs <- err:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// importPath opens and imports one manifest.
func (s *Scanner) importPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.importFrom(path, f)
}

// importFrom decodes the records of one manifest into the catalog.
func (s *Scanner) importFrom(name string, r io.Reader) error {
	recs, err := decodeRecords(r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	batch := make([]catalog.Asset, 0, len(recs))
	for _, rec := range recs {
		batch = append(batch, catalog.Asset{ID: rec.ID, Path: rec.Path, Size: rec.Size, Tags: rec.Tags})
	}
	s.cat.MergeEach([][]catalog.Asset{batch})
	return nil
}

// logStats logs how many files were seen so far.
func (s *Scanner) logStats() {
	s.mu.Lock()
	n := len(s.seen)
	s.mu.Unlock()
	s.log.Printf("%d files seen, catalog holds %d assets", n, s.cat.Len())
}

// ScanStats is a point-in-time copy of the scanner counters.
type ScanStats struct {
	Scans int64
	Found int64
}

// Stats returns a copy of the counters.
func (s *Scanner) Stats() ScanStats {
	return ScanStats{Scans: s.scans.Load(), Found: s.found.Load()}
}

// Log writes the counters to l.
func (st ScanStats) Log(l *log.Logger) {
	l.Printf("%d scans, %d new files", st.Scans, st.Found)
}

// Rescan forgets what was seen, scans dirs again and logs the counters
// when it is done.
func (s *Scanner) Rescan(dirs []string) ([]string, error) {
	defer s.Stats().Log(s.log) // HAZ defer-call-chain
	s.mu.Lock()
	s.seen = make(map[string]bool)
	s.mu.Unlock()
	return s.ScanNew(dirs, ".part")
}

// RescanLogged is Rescan with the counters taken at exit.
func (s *Scanner) RescanLogged(dirs []string) ([]string, error) {
	defer func() { s.Stats().Log(s.log) }()
	s.mu.Lock()
	s.seen = make(map[string]bool)
	s.mu.Unlock()
	return s.ScanNew(dirs, ".part")
}
