package device

import (
	"context"
	"io"
	"sync"
)

// Merge fans the sample channels of several readers into one channel.
func Merge(ctx context.Context, ins ...<-chan Sample) <-chan Sample {
	out := make(chan Sample, 64)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, in := range ins {
		go func(in <-chan Sample) {
			for s := range in {
				select {
				case out <- s:
				case <-ctx.Done():
					return
				}
			}
		}(in)
	}
	return out
}

// MergeWait fans several sample channels into one and closes the result once
// every input is drained or ctx ends.
func MergeWait(ctx context.Context, ins ...<-chan Sample) <-chan Sample {
	out := make(chan Sample, 64)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func(in <-chan Sample) {
			defer wg.Done()
			for s := range in {
				select {
				case out <- s:
				case <-ctx.Done():
					return
				}
			}
		}(in)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// PollOnce opens every device once and returns the devices that failed,
// keyed by ID.
func PollOnce(ctx context.Context, devs []*Device) map[string]error {
	type result struct {
		id  string
		err error
	}
	results := make(chan result, len(devs))
	var wg sync.WaitGroup
	for _, d := range devs {
		wg.Add(1)
		go func(d *Device) {
			defer wg.Done()
			results <- result{id: d.ID, err: probe(ctx, d)}
		}(d)
	}
	wg.Wait()
	close(results)

	failed := make(map[string]error)
	for r := range results {
		if r.err != nil {
			failed[r.id] = r.err
		}
	}
	return failed
}

// probe opens d and reads one byte to check that the port answers.
func probe(ctx context.Context, d *Device) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rc, err := d.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	var b [1]byte
	if _, err := rc.Read(b[:]); err != nil && err != io.EOF {
		return err
	}
	return nil
}

// CollectN reads up to n samples from in, giving up when ctx ends.
func CollectN(ctx context.Context, in <-chan Sample, n int) []Sample {
	out := make([]Sample, 0, n)
	for len(out) < n {
		select {
		case s, ok := <-in:
			if !ok {
				return out
			}
			out = append(out, s)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// CheckAll probes the devices concurrently and returns the first failure.
func CheckAll(ctx context.Context, devs []*Device) error {
	errc := make(chan error)
	for _, d := range devs {
		go func(d *Device) {
			errc <- probe(ctx, d) // HAZ goroutine-blocked-send
		}(d)
	}
	for range devs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
