package upstream

import (
	"context"
	"fmt"
	"slices"
)

// VersionEvent announces a version that appeared upstream.
type VersionEvent struct {
	Module  string
	Version string
}

// PollVersions lists the versions of each module concurrently and sends the
// ones not in known on out. It closes out when it returns. The first listing
// error aborts the poll.
func (c *Client) PollVersions(ctx context.Context, mods []string, known map[string][]string, out chan<- VersionEvent) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(mods))
	for _, mod := range mods {
		go func() {
			versions, err := c.ListVersions(ctx, mod)
			if err != nil {
				errc <- fmt.Errorf("upstream: poll %s: %w", mod, err)
				return
			}
			for _, v := range versions {
				if !slices.Contains(known[mod], v) {
					out <- VersionEvent{Module: mod, Version: v}
				}
			}
			errc <- nil
		}()
	}
	for range mods {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// PollSequential is the single-goroutine variant used by the CLI: everything
// is sent before the deferred close runs.
func (c *Client) PollSequential(ctx context.Context, mods []string, known map[string][]string, out chan<- VersionEvent) error {
	defer close(out)
	for _, mod := range mods {
		versions, err := c.ListVersions(ctx, mod)
		if err != nil {
			return fmt.Errorf("upstream: poll %s: %w", mod, err)
		}
		for _, v := range versions {
			if slices.Contains(known[mod], v) {
				continue
			}
			select {
			case out <- VersionEvent{Module: mod, Version: v}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return nil
}
