// Package status batches Widget status writes so that a burst of
// reconciles results in few API calls.
package status

import (
	"context"
	"errors"
	"fmt"

	"example.com/k8scontrollers/pkg/api"
)

// Update is one pending status write.
type Update struct {
	Key        string
	Generation int64
	Status     api.WidgetStatus
}

// Writer persists one status.
type Writer interface {
	WriteStatus(ctx context.Context, key string, st api.WidgetStatus) error
}

// Batch collects updates up to a size limit.
type Batch struct {
	updates []Update
	max     int
	w       Writer
}

func newBatch(w Writer, max int) *Batch {
	return &Batch{w: w, max: max, updates: make([]Update, 0, max)}
}

// Add appends up, replacing an older update of the same key.
func (b *Batch) Add(up Update) {
	for i := range b.updates {
		if b.updates[i].Key == up.Key {
			if up.Generation >= b.updates[i].Generation {
				b.updates[i] = up
			}
			return
		}
	}
	b.updates = append(b.updates, up)
}

// Full reports whether the batch reached its size limit.
func (b *Batch) Full() bool { return len(b.updates) >= b.max }

// Len returns the number of updates.
func (b *Batch) Len() int { return len(b.updates) }

// Flush writes every update and empties the batch.
func (b *Batch) Flush(ctx context.Context) error {
	var errs []error
	for _, up := range b.updates {
		if err := b.w.WriteStatus(ctx, up.Key, up.Status); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", up.Key, err))
		}
	}
	b.updates = b.updates[:0]
	return errors.Join(errs...)
}

// split cuts ups into chunks of at most n.
func split(ups []Update, n int) [][]Update {
	if n < 1 {
		n = 1
	}
	var out [][]Update
	for len(ups) > n {
		out = append(out, ups[:n:n])
		ups = ups[n:]
	}
	if len(ups) > 0 {
		out = append(out, ups)
	}
	return out
}
