// Package pitjoin computes point-in-time correct joins of label events with
// feature rows: each event gets the newest feature row whose timestamp is not
// after the event, so that training never sees the future.
package pitjoin

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
)

// Event is a labelled training event.
type Event struct {
	EntityID string
	Ts       int64
	Label    float64
}

// FeatureRow is one feature vector observed at Ts.
type FeatureRow struct {
	EntityID string
	Ts       int64
	Values   []float64
}

// Joined is an event with the features as of its timestamp.
type Joined struct {
	Event
	Values []float64
	Found  bool
}

// Index maps an entity to its feature rows in ascending Ts order.
type Index map[string][]FeatureRow

// BuildIndex groups and sorts rows.
func BuildIndex(rows []FeatureRow) Index {
	ix := make(Index)
	for _, r := range rows {
		ix[r.EntityID] = append(ix[r.EntityID], r)
	}
	for _, rs := range ix {
		sort.Slice(rs, func(i, j int) bool { return rs[i].Ts < rs[j].Ts })
	}
	return ix
}

// AsOf returns the newest row for entity with Ts <= ts.
func (ix Index) AsOf(entity string, ts int64) (FeatureRow, bool) {
	rows := ix[entity]
	i := sort.Search(len(rows), func(i int) bool { return rows[i].Ts > ts })
	if i == 0 {
		return FeatureRow{}, false
	}
	return rows[i-1], true
}

func joinOne(ctx context.Context, events []Event, ix Index) ([]Joined, error) {
	out := make([]Joined, len(events))
	for i, ev := range events {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		row, ok := ix.AsOf(ev.EntityID, ev.Ts)
		out[i] = Joined{Event: ev, Values: row.Values, Found: ok}
	}
	return out, nil
}

// Join splits events over workers goroutines and joins them in place.
func Join(ctx context.Context, events []Event, ix Index, workers int) ([]Joined, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Joined, len(events))
	chunk := (len(events) + workers - 1) / workers
	errCh := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo := w * chunk
		if lo >= len(events) {
			break
		}
		hi := min(lo+chunk, len(events))
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := joinOne(ctx, events[lo:hi], ix)
			if err != nil {
				errCh <- fmt.Errorf("pitjoin: worker %d: %w", w, err)
				return
			}
			copy(out[lo:hi], res)
		}()
	}
	wg.Wait()
	close(errCh)
	if err := <-errCh; err != nil {
		return nil, err
	}
	return out, nil
}

// JoinPartitions joins each partition of events in its own goroutine and
// concatenates the results in partition order.
func JoinPartitions(ctx context.Context, parts [][]Event, ix Index) ([]Joined, error) {
	results := make([][]Joined, len(parts))
	errCh := make(chan error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			if len(p) == 0 {
				return
			}
			res, err := joinOne(ctx, p, ix)
			if err != nil {
				errCh <- err
				return
			}
			results[i] = res
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errCh)
	if err := <-errCh; err != nil {
		return nil, err
	}
	var out []Joined
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

// JoinStreaming joins events as they arrive. The output channel is closed
// once events is drained or ctx is done.
func JoinStreaming(ctx context.Context, events <-chan Event, ix Index, workers int) <-chan Joined {
	out := make(chan Joined)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range events {
				row, ok := ix.AsOf(ev.EntityID, ev.Ts)
				select {
				case out <- Joined{Event: ev, Values: row.Values, Found: ok}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// CollectSamples returns the first limit joined events, in whatever order the
// partitions produce them. It is used to eyeball a join before a full run.
func CollectSamples(ctx context.Context, parts [][]Event, ix Index, limit int) ([]Joined, error) {
	out := make(chan Joined)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, p := range parts {
		go func() {
			for _, ev := range p {
				row, ok := ix.AsOf(ev.EntityID, ev.Ts)
				out <- Joined{Event: ev, Values: row.Values, Found: ok}
			}
		}()
	}
	got := make([]Joined, 0, limit)
	for len(got) < limit {
		select {
		case j := <-out:
			got = append(got, j)
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
	return got, nil
}

// Coverage reports, per partition, the fraction of events that found a
// feature row.
func Coverage(parts [][]Event, ix Index) []float64 {
	type result struct {
		part int
		frac float64
	}
	ch := make(chan result)
	defer close(ch)
	for i, p := range parts {
		go func() {
			hit := 0
			for _, ev := range p {
				if _, ok := ix.AsOf(ev.EntityID, ev.Ts); ok {
					hit++
				}
			}
			frac := 0.0
			if len(p) > 0 {
				frac = float64(hit) / float64(len(p))
			}
			ch <- result{part: i, frac: frac}
		}()
	}
	out := make([]float64, len(parts))
	for range parts {
		r := <-ch
		out[r.part] = r.frac
	}
	return out
}

// JoinBestEffort joins partitions independently; a partition whose join
// fails or blows up is left empty instead of failing the whole job.
func JoinBestEffort(ctx context.Context, parts [][]Event, ix Index) [][]Joined {
	out := make([][]Joined, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer recover() // HAZ recover-ineffective
			if res, err := joinOne(ctx, p, ix); err == nil {
				out[i] = res
			}
		}()
	}
	wg.Wait()
	return out
}

func checkSorted(part int, events []Event) error {
	for i := 1; i < len(events); i++ {
		if events[i].Ts < events[i-1].Ts {
			return fmt.Errorf("pitjoin: partition %d: event %d is out of order", part, i)
		}
	}
	return nil
}

// ValidatePartitions checks every partition concurrently and returns the
// first problem found.
func ValidatePartitions(parts [][]Event) error {
	errc := make(chan error)
	for i, p := range parts {
		go func() { errc <- checkSorted(i, p) }() // HAZ goroutine-blocked-send
	}
	for range parts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
