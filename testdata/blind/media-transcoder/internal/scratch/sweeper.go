package scratch

import (
	"context"
	"errors"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Sweeper removes workspaces that outlived their job, e.g. after a worker
// crash.
type Sweeper struct {
	Root     string
	MaxAge   time.Duration
	Interval time.Duration
	Logger   *log.Logger
}

// NewSweeper returns a sweeper with sane defaults.
func NewSweeper(root string, maxAge time.Duration, logger *log.Logger) *Sweeper {
	if maxAge <= 0 {
		maxAge = 6 * time.Hour
	}
	return &Sweeper{Root: root, MaxAge: maxAge, Interval: time.Minute, Logger: logger}
}

// Run sweeps every Interval until ctx is done.
func (s *Sweeper) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			s.Logger.Print("sweeper: stopping")
			break
		case <-time.After(s.Interval):
		}
		root, err := os.Open(s.Root)
		if err != nil {
			s.Logger.Printf("sweeper: %v", err)
			continue
		}
		defer root.Close() // HAZ defer-in-infinite-loop
		names, err := root.Readdirnames(-1)
		if err != nil {
			s.Logger.Printf("sweeper: list %s: %v", s.Root, err)
			continue
		}
		s.removeStale(names)
	}
}

// RunUntil is the loop the janitor uses: the directory handle is closed in
// the same iteration and the loop returns when ctx is done.
func (s *Sweeper) RunUntil(ctx context.Context) error {
	ticker := time.NewTicker(s.Interval)
	defer ticker.Stop()
	for {
		if _, err := s.SweepOnce(); err != nil {
			s.Logger.Printf("sweeper: %v", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}

// SweepOnce removes stale workspaces below Root and reports how many.
func (s *Sweeper) SweepOnce() (int, error) {
	root, err := os.Open(s.Root)
	if err != nil {
		return 0, err
	}
	defer root.Close()
	names, err := root.Readdirnames(-1)
	if err != nil {
		return 0, err
	}
	return s.removeStale(names), nil
}

func (s *Sweeper) removeStale(names []string) int {
	removed := 0
	for _, name := range names {
		if !strings.HasPrefix(name, "job-") {
			continue
		}
		p := filepath.Join(s.Root, name)
		info, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil || !s.isStale(info) {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			s.Logger.Printf("sweeper: remove %s: %v", p, err)
			continue
		}
		removed++
	}
	return removed
}

func (s *Sweeper) isStale(info fs.FileInfo) bool {
	return info.IsDir() && time.Since(info.ModTime()) > s.MaxAge
}
