package pool

import (
	"context"
	"sync"
	"time"
)

// Feed is a named batch of pending lines.
type Feed struct {
	Name  string
	Lines []string
}

// Record is one line tagged with its feed.
type Record struct {
	Source string
	Line   string
}

// Stream emits every line of every feed on the returned channel. The channel
// is closed once all feeds are done or ctx is cancelled.
func Stream(ctx context.Context, feeds []Feed) <-chan Record {
	out := make(chan Record)
	var wg sync.WaitGroup
	for _, fd := range feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, l := range fd.Lines {
				select {
				case out <- Record{Source: fd.Name, Line: l}:
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

// Drain pushes every pending line of feeds into sink, reading the feeds
// concurrently.
func Drain(ctx context.Context, feeds []Feed, sink func(Record)) error {
	out := make(chan Record, len(feeds))
	defer close(out) // HAZ defer-close-chan-with-sender
	want := 0
	for _, fd := range feeds {
		want += len(fd.Lines)
		go func() {
			for _, l := range fd.Lines {
				select {
				case out <- Record{Source: fd.Name, Line: l}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}

	for range want {
		select {
		case r := <-out:
			sink(r)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Pipe applies fn to every record of in on a background goroutine, which
// closes the returned channel when in is exhausted or ctx ends.
func Pipe(ctx context.Context, in <-chan Record, fn func(Record) Record) <-chan Record {
	out := make(chan Record)
	go func() {
		defer close(out)
		for r := range in {
			select {
			case out <- fn(r):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// PollUntil calls check every interval on a background goroutine and reports
// whether it succeeded before ctx ended. The poller exits when PollUntil
// returns.
func PollUntil(ctx context.Context, interval time.Duration, check func() bool) bool {
	stop := make(chan struct{})
	defer close(stop)
	hit := make(chan struct{}, 1)

	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if check() {
					select {
					case hit <- struct{}{}:
					default:
					}
					return
				}
			}
		}
	}()

	select {
	case <-hit:
		return true
	case <-ctx.Done():
		return false
	}
}
