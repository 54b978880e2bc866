package snapshot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"example.com/gamesrv/internal/game"
)

// SaveAll saves a batch of snapshots in parallel, one goroutine each.
func (s *Store) SaveAll(snaps []game.Snapshot) error {
	var wg sync.WaitGroup
	errCh := make(chan error, len(snaps))
	for _, snap := range snaps {
		wg.Add(1)
		go func(snap game.Snapshot) {
			if err := s.Save(snap); err != nil {
				errCh <- fmt.Errorf("match %s: %w", snap.MatchID, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}(snap)
	}
	wg.Wait()
	close(errCh)
	var errs []error
	for err := range errCh {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// SaveAllBounded saves snapshots with a pool of parallel writers.
func (s *Store) SaveAllBounded(snaps []game.Snapshot, parallel int) error {
	if parallel <= 0 {
		parallel = 1
	}
	jobs := make(chan int)
	errs := make([]error, len(snaps))
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := s.Save(snaps[i]); err != nil {
					errs[i] = fmt.Errorf("match %s: %w", snaps[i].MatchID, err)
				}
			}
		}()
	}
	for i := range snaps {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return errors.Join(errs...)
}

// SaveWithin saves snap but gives up waiting after d so that the tick loop
// is never stalled by a slow disk.
func (s *Store) SaveWithin(snap game.Snapshot, d time.Duration) error {
	done := make(chan error)
	go func() { done <- s.Save(snap) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("snapshot: saving %s timed out after %v", snap.MatchID, d)
	}
}

// SaveContext is like SaveWithin but bounded by ctx. The result channel has
// room for the one send, so an abandoned save still finishes and exits.
func (s *Store) SaveContext(ctx context.Context, snap game.Snapshot) error {
	done := make(chan error, 1)
	go func() { done <- s.Save(snap) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("snapshot: saving %s: %w", snap.MatchID, ctx.Err())
	}
}

// CheckpointLoop checkpoints m every interval until the match ends or ctx is
// cancelled.
func (s *Store) CheckpointLoop(ctx context.Context, m *game.Match, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.Done():
			return
		case <-t.C:
			if err := s.Checkpoint(m.Snapshot()); err != nil {
				s.logger.Printf("snapshot: checkpoint %s: %v", m.ID(), err)
			}
		}
	}
}
