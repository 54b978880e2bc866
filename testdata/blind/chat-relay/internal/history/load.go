package history

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"
)

// LoadRecent reads the last n lines of each room's log, to warm the
// in-memory ring buffers at startup.
func (s *Store) LoadRecent(rooms []string, n int) (map[string][]string, error) {
	out := make(map[string][]string, len(rooms))
	for _, name := range rooms {
		f, err := os.Open(s.Path(name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		lines, err := lastLines(f, n)
		if err != nil {
			return nil, fmt.Errorf("history: %s: %w", name, err)
		}
		out[name] = lines
	}
	return out, nil
}

// TailMany is Tail for several rooms at once, read concurrently.
func (s *Store) TailMany(rooms []string, n int) (map[string][]string, error) {
	type result struct {
		room  string
		lines []string
		err   error
	}
	results := make(chan result, len(rooms))
	var wg sync.WaitGroup
	for _, name := range rooms {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			lines, err := s.Tail(name, n)
			results <- result{room: name, lines: lines, err: err}
		}(name)
	}
	wg.Wait()
	close(results)
	out := make(map[string][]string, len(rooms))
	var errs []error
	for r := range results {
		if r.err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.room, r.err))
			continue
		}
		out[r.room] = r.lines
	}
	return out, errors.Join(errs...)
}

// TailManyBefore is TailMany with a deadline: rooms whose log cannot be
// read in time are left out of the result.
func (s *Store) TailManyBefore(rooms []string, n int, timeout time.Duration) map[string][]string {
	type result struct {
		room  string
		lines []string
	}
	results := make(chan result, len(rooms))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, name := range rooms {
		go func(name string) {
			if lines, err := s.Tail(name, n); err == nil {
				results <- result{room: name, lines: lines}
			}
		}(name)
	}
	out := make(map[string][]string, len(rooms))
	deadline := time.After(timeout)
	for range rooms {
		select {
		case r := <-results:
			out[r.room] = r.lines
		case <-deadline:
			return out
		}
	}
	return out
}

// Export writes the full logs of rooms to w, each preceded by a header.
func (s *Store) Export(w io.Writer, rooms []string) error {
	for _, name := range rooms {
		err := func() error {
			f, err := os.Open(s.Path(name))
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := fmt.Fprintf(w, "== %s ==\n", name); err != nil {
				return err
			}
			_, err = io.Copy(w, f)
			return err
		}()
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("history: export %s: %w", name, err)
		}
	}
	return nil
}
