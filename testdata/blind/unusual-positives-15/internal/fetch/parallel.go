package fetch

import (
	"context"
	"errors"
	"strings"
	"sync"

	"example.com/up15/internal/blob"
)

// FetchAll downloads paths concurrently into dst and returns one error slot
// per path.
func (c *Client) FetchAll(ctx context.Context, paths []string, dst *blob.Store) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(paths))
	for i, p := range paths {
		wg.Add(1)
		go c.fetchInto(ctx, &wg, dst, p, &errs[i])
	}
	wg.Wait()
	return errs
}

func (c *Client) fetchInto(ctx context.Context, wg *sync.WaitGroup, dst *blob.Store, path string, errp *error) {
	rc, err := c.Get(ctx, path)
	if err != nil {
		*errp = err
		return
	}
	defer rc.Close()
	*errp = dst.Put(strings.TrimPrefix(path, "/"), rc)
	wg.Done() // HAZ waitgroup-done-path
}

type errList struct {
	mu   sync.Mutex
	errs []error
}

func (l *errList) add(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

func (l *errList) join() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.errs...)
}

// Mirror is FetchAll with the errors joined. The helper receives the wait
// group by pointer and defers Done as its first statement.
func (c *Client) Mirror(ctx context.Context, paths []string, dst *blob.Store) error {
	var wg sync.WaitGroup
	var errs errList
	for _, p := range paths {
		wg.Add(1)
		go c.mirrorOne(ctx, &wg, &errs, dst, p)
	}
	wg.Wait()
	return errs.join()
}

func (c *Client) mirrorOne(ctx context.Context, wg *sync.WaitGroup, errs *errList, dst *blob.Store, path string) {
	defer wg.Done()
	if err := c.copyInto(ctx, dst, path); err != nil {
		errs.add(err)
	}
}

// Probe is the result of probing one path.
type Probe struct {
	Path string
	Size int64
	Err  error
}

// ProbeAll asks the origin for the size of every path. The result channel
// has room for every prober.
func (c *Client) ProbeAll(ctx context.Context, paths []string) []Probe {
	var wg sync.WaitGroup
	out := make(chan Probe, len(paths))
	for _, p := range paths {
		wg.Add(1)
		go c.probeOne(ctx, &wg, p, out)
	}
	wg.Wait()
	close(out)
	res := make([]Probe, 0, len(paths))
	for pr := range out {
		res = append(res, pr)
	}
	return res
}

func (c *Client) probeOne(ctx context.Context, wg *sync.WaitGroup, path string, out chan<- Probe) {
	defer wg.Done()
	size, err := c.Size(ctx, path)
	if err != nil {
		out <- Probe{Path: path, Err: err}
		wg.Done() // HAZ waitgroup-done-path
		return
	}
	out <- Probe{Path: path, Size: size}
}

// TotalSize sums the sizes of paths, failing on the first error.
func (c *Client) TotalSize(ctx context.Context, paths []string) (int64, error) {
	type sized struct {
		n   int64
		err error
	}
	ch := make(chan sized)
	for _, p := range paths {
		go func(p string) {
			n, err := c.Size(ctx, p)
			ch <- sized{n, err} // HAZ goroutine-blocked-send
		}(p)
	}
	var total int64
	for range paths {
		s := <-ch
		if s.err != nil {
			return 0, s.err
		}
		total += s.n
	}
	return total, nil
}

// SizesOf returns the size of every path, failing on the first error. The
// channel is buffered for every sender, so the early return strands none.
func (c *Client) SizesOf(ctx context.Context, paths []string) (map[string]int64, error) {
	type sized struct {
		path string
		n    int64
		err  error
	}
	ch := make(chan sized, len(paths))
	for _, p := range paths {
		go func(p string) {
			n, err := c.Size(ctx, p)
			ch <- sized{p, n, err}
		}(p)
	}
	out := make(map[string]int64, len(paths))
	for range paths {
		s := <-ch
		if s.err != nil {
			return nil, s.err
		}
		out[s.path] = s.n
	}
	return out, nil
}
