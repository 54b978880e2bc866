package blockedsend

import "context"

func square(i int) int { return i * i }

// One goroutine per item, one receive per iteration; the ctx.Done() case returns with senders
// still waiting to be received from.
func squaresUntilCancel(ctx context.Context, n int) ([]int, error) {
	ch := make(chan int) // want `squaresUntilCancel makes ch unbuffered, and the goroutine started on line \d+ sends its result on it \(line \d+\); the return on line \d+ leaves before receiving from ch once per sender`
	for i := 0; i < n; i++ {
		go func(i int) {
			ch <- square(i)
		}(i)
	}
	var out []int
	for i := 0; i < n; i++ {
		select {
		case v := <-ch:
			out = append(out, v)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// The senders give up on the same context: none is left blocked.
func squaresWatching(ctx context.Context, n int) ([]int, error) {
	ch := make(chan int)
	for i := 0; i < n; i++ {
		go func(i int) {
			select {
			case ch <- square(i):
			case <-ctx.Done():
			}
		}(i)
	}
	var out []int
	for i := 0; i < n; i++ {
		select {
		case v := <-ch:
			out = append(out, v)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// Room for every sender: a return leaves the values in the buffer.
func squaresBuffered(ctx context.Context, n int) ([]int, error) {
	ch := make(chan int, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			ch <- square(i)
		}(i)
	}
	var out []int
	for i := 0; i < n; i++ {
		select {
		case v := <-ch:
			out = append(out, v)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}
