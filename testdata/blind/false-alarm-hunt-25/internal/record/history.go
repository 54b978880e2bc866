package record

import (
	"context"
	"sort"
	"sync"
	"time"

	"example.com/fah25/api"
)

// HistorySource returns past events about an object.
type HistorySource interface {
	History(ctx context.Context, object string) ([]api.Event, error)
}

type sourceResult struct {
	events []api.Event
	err    error
}

// History asks every source concurrently and merges their answers, newest first.
// It returns the first error only when no source answered.
func History(ctx context.Context, sources []HistorySource, object string) ([]api.Event, error) {
	results := make(chan sourceResult, len(sources))
	defer close(results)
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			evs, err := src.History(ctx, object)
			results <- sourceResult{events: evs, err: err}
		}()
	}
	wg.Wait()

	var (
		all      []api.Event
		firstErr error
		answered int
	)
	for range sources {
		res := <-results
		if res.err != nil {
			if firstErr == nil {
				firstErr = res.err
			}
			continue
		}
		answered++
		all = append(all, res.events...)
	}
	if answered == 0 && firstErr != nil {
		return nil, firstErr
	}
	sortNewestFirst(all)
	return all, nil
}

// QuickHistory is History for the status page: it returns whatever arrived within budget.
func QuickHistory(ctx context.Context, sources []HistorySource, object string, budget time.Duration) []api.Event {
	out := make(chan api.Event, 64)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, src := range sources {
		go func() {
			evs, err := src.History(ctx, object)
			if err != nil {
				return
			}
			for _, ev := range evs {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}()
	}

	var all []api.Event
	timer := time.NewTimer(budget)
	defer timer.Stop()
	for {
		select {
		case ev := <-out:
			all = append(all, ev)
		case <-timer.C:
			sortNewestFirst(all)
			return all
		case <-ctx.Done():
			sortNewestFirst(all)
			return all
		}
	}
}

func sortNewestFirst(evs []api.Event) {
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].LastSeen.After(evs[j].LastSeen) })
}
