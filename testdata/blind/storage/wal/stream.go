package wal

import (
	"bufio"
	"context"
	"os"
	"sync"
)

// Stream sends the records of every segment in ids on out and closes out.
func Stream(dir string, ids []uint64, out chan<- []byte) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			f, err := os.Open(segmentPath(dir, id))
			if err != nil {
				return
			}
			defer f.Close()
			_ = replaySegment(id, bufio.NewReader(f), func(_ uint64, rec []byte) error {
				out <- rec
				return nil
			})
		}()
	}
}

// StreamOrdered sends every record, oldest segment first, on the returned
// channel, which is closed by the producing goroutine when done.
func StreamOrdered(ctx context.Context, dir string, ids []uint64) (<-chan []byte, <-chan error) {
	out := make(chan []byte, 64)
	errc := make(chan error, 1)
	go func() {
		defer close(out) // ok: closed by the only sender, after its last send
		for _, id := range ids {
			err := streamSegment(ctx, dir, id, out)
			if err != nil {
				errc <- err // buffered, at most one send
				return
			}
		}
	}()
	return out, errc
}

func streamSegment(ctx context.Context, dir string, id uint64, out chan<- []byte) error {
	f, err := os.Open(segmentPath(dir, id))
	if err != nil {
		return err
	}
	defer f.Close()
	return replaySegment(id, bufio.NewReader(f), func(_ uint64, rec []byte) error {
		select {
		case out <- rec:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

// StreamParallel reads segments concurrently; records of different segments
// interleave. The channel is closed once every reader has finished.
func StreamParallel(ctx context.Context, dir string, ids []uint64) <-chan []byte {
	out := make(chan []byte, 64)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = streamSegment(ctx, dir, id, out)
		}()
	}
	go func() {
		wg.Wait()
		close(out) // ok: after all senders are done
	}()
	return out
}

// Collect reads ids concurrently into one slice per segment.
func Collect(dir string, ids []uint64) ([][][]byte, error) {
	out := make(chan struct {
		i    int
		recs [][]byte
		err  error
	})
	defer close(out) // ok: every sender is received from below before return
	for i, id := range ids {
		go func() {
			recs, err := ReadSegment(dir, id)
			out <- struct {
				i    int
				recs [][]byte
				err  error
			}{i, recs, err}
		}()
	}
	all := make([][][]byte, len(ids))
	var firstErr error
	for range ids {
		r := <-out
		all[r.i] = r.recs
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
	}
	return all, firstErr
}
