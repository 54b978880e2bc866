// Package bisect drives a binary search through history for the commit
// that introduced a bug (`vcs bisect`).
package bisect

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/vcscli/internal/object"
)

// Verdict is the outcome of testing one commit.
type Verdict int

const (
	Untested Verdict = iota
	Good
	Bad
	Skip
)

func (v Verdict) String() string {
	return [...]string{"untested", "good", "bad", "skip"}[v]
}

// Session is a bisection in progress, persisted in .vcs/BISECT_LOG.
type Session struct {
	path    string
	workDir string
	logger  *log.Logger

	mu         sync.Mutex
	candidates []object.ID // oldest first, between last good and first bad
	verdicts   map[object.ID]Verdict
}

// Snapshot is the persisted form of a session.
type Snapshot struct {
	Candidates []object.ID
	Verdicts   map[object.ID]Verdict
}

// Save writes the snapshot to path.
func (s Snapshot) Save(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	for _, id := range s.Candidates {
		fmt.Fprintf(w, "%s %s\n", id, s.Verdicts[id])
	}
	return w.Flush()
}

// Start begins a session over candidates (oldest first).
func Start(path, workDir string, candidates []object.ID, logger *log.Logger) *Session {
	return &Session{path: path, workDir: workDir, logger: logger, candidates: candidates, verdicts: make(map[object.ID]Verdict)}
}

// Snapshot copies the session state.
func (s *Session) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := Snapshot{Candidates: append([]object.ID(nil), s.candidates...), Verdicts: make(map[object.ID]Verdict, len(s.verdicts))}
	for k, v := range s.verdicts {
		snap.Verdicts[k] = v
	}
	return snap
}

// Mark records a verdict and narrows the range.
func (s *Session) Mark(id object.ID, v Verdict) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.verdicts[id] = v
	for i, c := range s.candidates {
		if c != id {
			continue
		}
		switch v {
		case Good:
			s.candidates = s.candidates[i+1:]
		case Bad:
			s.candidates = s.candidates[:i+1]
		}
		return
	}
}

// Next returns the commit to test next, or false when the first bad
// commit is known.
func (s *Session) Next() (object.ID, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var open []object.ID
	for _, c := range s.candidates {
		if s.verdicts[c] != Skip {
			open = append(open, c)
		}
	}
	if len(open) <= 1 {
		return object.ZeroID, false
	}
	return open[len(open)/2], true
}

// checkout switches the working copy to id by running `vcs checkout`.
func (s *Session) checkout(ctx context.Context, id object.ID) error {
	cmd := exec.CommandContext(ctx, os.Args[0], "checkout", "--detach", id.String())
	cmd.Dir = s.workDir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("bisect: checkout %s: %v: %s", id.Short(), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Test runs script at id: exit 0 is good, 125 is skip, anything else bad.
// The working copy is put back on the original commit afterwards.
func (s *Session) Test(ctx context.Context, id, original object.ID, script string) (Verdict, error) {
	if err := s.checkout(ctx, id); err != nil {
		return Untested, err
	}
	defer s.checkout(ctx, original) // HAZ defer-blocking-call
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script)
	cmd.Dir = s.workDir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return Good, nil
	case errors.As(err, &exit) && exit.ExitCode() == 125:
		return Skip, nil
	case errors.As(err, &exit):
		return Bad, nil
	}
	return Untested, err
}

func (s *Session) logStep(step string, err error) {
	if err != nil {
		s.logger.Printf("bisect %s: %v", step, err)
		return
	}
	s.logger.Printf("bisect %s: ok", step)
}

// Run tests candidates with script until the first bad commit is found.
func (s *Session) Run(ctx context.Context, original object.ID, script string) (object.ID, error) {
	var err error
	defer s.logStep("run", err) // HAZ defer-eager-evaluation
	for {
		id, ok := s.Next()
		if !ok {
			break
		}
		var v Verdict
		v, err = s.Test(ctx, id, original, script)
		if err != nil {
			return object.ZeroID, err
		}
		s.Mark(id, v)
		if err = s.Snapshot().Save(s.path); err != nil {
			return object.ZeroID, err
		}
	}
	snap := s.Snapshot()
	if len(snap.Candidates) == 0 {
		return object.ZeroID, errors.New("bisect: no candidates left")
	}
	return snap.Candidates[0], nil
}

// Step marks id and persists the session, as `vcs bisect good|bad` does.
func (s *Session) Step(id object.ID, v Verdict) error {
	defer s.Snapshot().Save(s.path) // HAZ defer-call-chain
	s.Mark(id, v)
	s.logger.Printf("bisect: %s is %s", id.Short(), v)
	return nil
}

// Visualize prints the remaining range, never failing the caller.
func (s *Session) Visualize(w *os.File) {
	defer func() {
		if recover() != nil { // HAZ recover-swallows-panic
			return
		}
	}()
	snap := s.Snapshot()
	for _, id := range snap.Candidates {
		fmt.Fprintf(w, "%s %s\n", id.Short(), snap.Verdicts[id])
	}
}

// Reset ends the session and removes its log.
func (s *Session) Reset() error {
	err := os.Remove(s.path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	s.mu.Lock()
	s.candidates, s.verdicts = nil, make(map[object.ID]Verdict)
	s.mu.Unlock()
	return nil
}

// timed logs how long a bisect phase took: `defer s.timed("replay")()`.
func (s *Session) timed(phase string) func() {
	start := time.Now()
	return func() { s.logger.Printf("bisect %s took %s", phase, time.Since(start).Round(time.Millisecond)) }
}

// Replay applies the verdicts of a saved BISECT_LOG.
func (s *Session) Replay(path string) error {
	defer s.timed("replay") // HAZ defer-func-result-not-called
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		hex, word, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		id, err := object.ParseID(hex)
		if err != nil {
			return err
		}
		switch word {
		case "good":
			s.Mark(id, Good)
		case "bad":
			s.Mark(id, Bad)
		case "skip":
			s.Mark(id, Skip)
		}
	}
	return sc.Err()
}

// TestAll runs script on every candidate in separate worktrees at once,
// for flaky-test hunting; results are returned in candidate order.
func (s *Session) TestAll(ctx context.Context, script string, worktrees []string) ([]Verdict, error) {
	snap := s.Snapshot()
	if len(worktrees) < len(snap.Candidates) {
		return nil, fmt.Errorf("bisect: need %d worktrees, have %d", len(snap.Candidates), len(worktrees))
	}
	verdicts := make([]Verdict, len(snap.Candidates))
	var wg sync.WaitGroup
	for i, id := range snap.Candidates {
		wg.Add(1)
		go func(i int, id object.ID) {
			defer wg.Done()
			w := &Session{workDir: worktrees[i], logger: s.logger}
			v, err := w.Test(ctx, id, id, script)
			if err != nil {
				s.logger.Printf("bisect: %s: %v", id.Short(), err)
			}
			verdicts[i] = v
		}(i, id)
	}
	wg.Wait()
	return verdicts, nil
}

// Summary writes the session log next to path with the first bad commit.
func (s *Session) Summary(path string, firstBad object.ID) error {
	var err error
	defer func() error { // HAZ defer-ineffective-return
		if err != nil {
			return fmt.Errorf("bisect: summary: %w", err)
		}
		return nil
	}()
	snap := s.Snapshot()
	var b strings.Builder
	fmt.Fprintf(&b, "first bad commit: %s\n", firstBad)
	for _, id := range snap.Candidates {
		fmt.Fprintf(&b, "%s %s\n", id, snap.Verdicts[id])
	}
	err = os.WriteFile(filepath.Join(filepath.Dir(path), "BISECT_SUMMARY"), []byte(b.String()), 0o644)
	return err
}
