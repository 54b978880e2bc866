package blockedsend

import (
	"context"
	"time"
)

type answer struct {
	body string
	err  error
}

// A hedged request: a second sender starts when the first is slow. The loop that starts them
// receives too, but once it has started both, a cancelled context leaves both replies unread.
func hedgedGet(ctx context.Context, get func(context.Context) (string, error), delay time.Duration) (string, error) {
	ch := make(chan answer) // want `hedgedGet makes ch unbuffered, and the goroutine started on line \d+ sends its result on it .*when the select on line \d+ takes its <-ctx\.Done\(\) case`
	for i := 0; i < 2; i++ {
		if i > 0 {
			select {
			case a := <-ch:
				return a.body, a.err
			case <-time.After(delay):
			}
		}
		go func() {
			b, err := get(ctx)
			ch <- answer{b, err}
		}()
	}
	select {
	case a := <-ch:
		return a.body, a.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Room for both replies: whichever is not read leaves without blocking.
func hedgedGetBuffered(ctx context.Context, get func(context.Context) (string, error), delay time.Duration) (string, error) {
	ch := make(chan answer, 2)
	for i := 0; i < 2; i++ {
		if i > 0 {
			select {
			case a := <-ch:
				return a.body, a.err
			case <-time.After(delay):
			}
		}
		go func() {
			b, err := get(ctx)
			ch <- answer{b, err}
		}()
	}
	select {
	case a := <-ch:
		return a.body, a.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
