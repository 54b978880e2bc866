package blockedsend

import (
	"context"
	"errors"
)

type page struct {
	key  string
	data []byte
}

type prefetcher struct{ quota int }

func (p *prefetcher) get(ctx context.Context, key string) []byte { return []byte(key) }

func (p *prefetcher) checkQuota(n int) error {
	if n > p.quota {
		return errors.New("over quota")
	}
	return nil
}

// The quota check comes after the goroutine has started: when it fails, out is never returned,
// nobody can receive, and the goroutine waits on its first send forever.
func (p *prefetcher) prefetch(ctx context.Context, keys []string) (<-chan page, error) {
	out := make(chan page)
	go func() { // want `prefetcher\.prefetch makes out unbuffered and hands it to its caller only by returning it \(line \d+\), but the return on line \d+ leaves without it`
		for _, k := range keys {
			out <- page{k, p.get(ctx, k)}
		}
		close(out)
	}()
	if err := p.checkQuota(len(keys)); err != nil {
		return nil, err
	}
	return out, nil
}

// Checked before the goroutine starts: every path after it returns the channel.
func (p *prefetcher) prefetchChecked(ctx context.Context, keys []string) (<-chan page, error) {
	if err := p.checkQuota(len(keys)); err != nil {
		return nil, err
	}
	out := make(chan page)
	go func() {
		for _, k := range keys {
			out <- page{k, p.get(ctx, k)}
		}
		close(out)
	}()
	return out, nil
}

// The sender gives up on cancellation: its sends never block for good.
func (p *prefetcher) prefetchCancellable(ctx context.Context, keys []string) (<-chan page, error) {
	out := make(chan page)
	go func() {
		defer close(out)
		for _, k := range keys {
			select {
			case out <- page{k, p.get(ctx, k)}:
			case <-ctx.Done():
				return
			}
		}
	}()
	if err := p.checkQuota(len(keys)); err != nil {
		return nil, err
	}
	return out, nil
}
