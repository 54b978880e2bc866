package transform

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"

	"example.com/etl/internal/record"
)

// Merge fans several channels into one. The result is closed when every
// input is drained or ctx is done.
func Merge(ctx context.Context, ins ...<-chan record.Record) <-chan record.Record {
	out := make(chan record.Record)
	var wg sync.WaitGroup
	wg.Add(len(ins))
	for _, in := range ins {
		go func() {
			defer wg.Done()
			for rec := range in {
				select {
				case out <- rec:
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

// Partition routes records from in to n outputs by a hash of key. The
// outputs are closed when in is drained or ctx is done.
func Partition(ctx context.Context, in <-chan record.Record, key string, n int) []<-chan record.Record {
	outs := make([]chan record.Record, n)
	ro := make([]<-chan record.Record, n)
	for i := range outs {
		outs[i] = make(chan record.Record, 64)
		ro[i] = outs[i]
	}
	go func() {
		defer func() {
			for _, o := range outs {
				close(o)
			}
		}()
		for r := range in {
			h := fnv.New32a()
			h.Write([]byte(r[key]))
			select {
			case outs[h.Sum32()%uint32(n)] <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ro
}

// applyBatch applies step to a batch in place.
func applyBatch(b []record.Record, step Step) error {
	for i, r := range b {
		out, err := step(r)
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
		b[i] = out
	}
	return nil
}

// ApplyAll transforms every batch in its own goroutine and returns the
// first error.
func ApplyAll(ctx context.Context, batches [][]record.Record, step Step) error {
	errc := make(chan error, len(batches))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, b := range batches {
		go func() { errc <- applyBatch(b, step) }()
	}
	for range batches {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// ApplyEach is ApplyAll without early exit bookkeeping: the channel has
// room for every sender, so late results are simply dropped with it.
func ApplyEach(ctx context.Context, batches [][]record.Record, step Step) error {
	errc := make(chan error, len(batches))
	for _, b := range batches {
		go func() { errc <- applyBatch(b, step) }()
	}
	for range batches {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Produce runs every source concurrently, all writing to out, and closes
// out once all of them have returned.
func Produce(ctx context.Context, out chan<- record.Record, srcs ...func(context.Context, chan<- record.Record) error) error {
	defer close(out)
	errs := make([]error, len(srcs))
	var wg sync.WaitGroup
	for i, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = src(ctx, out)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
