package scrub

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"example.com/objstore/internal/store"
)

// checkSegments verifies a segmented object segment by segment.
func checkSegments(ctx context.Context, segs []store.Segment) (bool, error) {
	paths := make([]string, len(segs))
	for i, sg := range segs {
		paths[i] = sg.Path
	}
	sums, err := hashSegments(ctx, paths)
	if err != nil {
		return false, err
	}
	for i, sg := range segs {
		if sums[i] != sg.SHA256 {
			return false, nil
		}
	}
	return true, nil
}

// hashSegments hashes segment files concurrently. It stops launching new
// hashes when ctx is cancelled and reports how far it got.
func hashSegments(ctx context.Context, paths []string) ([]string, error) {
	sums := make([]string, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	i := 0
	for i = 0; i < len(paths) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			sums[i], errs[i] = store.HashFile(paths[i])
		}()
	}
	wg.Wait()
	if i < len(paths) {
		return nil, fmt.Errorf("scrub: hashed %d of %d segments: %w", i, len(paths), ctx.Err())
	}
	return sums, errors.Join(errs...)
}
