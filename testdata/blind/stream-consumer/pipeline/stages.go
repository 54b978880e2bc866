package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// DecodeJSON decodes the message value into a generic JSON value.
func DecodeJSON() Stage {
	return func(ctx context.Context, it Item) (Item, bool, error) {
		var v any
		if err := json.Unmarshal(it.Msg.Value, &v); err != nil {
			return it, false, fmt.Errorf("decode %s@%d: %w", it.Msg.TP(), it.Msg.Offset, err)
		}
		it.Value = v
		return it, true, nil
	}
}

// Filter keeps the items for which keep returns true.
func Filter(keep func(Item) bool) Stage {
	return func(ctx context.Context, it Item) (Item, bool, error) {
		return it, keep(it), nil
	}
}

// Batcher groups items into batches.
type Batcher struct {
	Size   int
	Linger time.Duration
}

// Run collects items from in and calls flush with batches of up to Size
// items, or fewer once Linger has passed.
func (b Batcher) Run(ctx context.Context, in <-chan Item, flush func([]Item) error) error {
	t := time.NewTimer(b.Linger)
	defer t.Stop()
	var buf []Item
	emit := func() error {
		if len(buf) == 0 {
			return nil
		}
		err := flush(buf)
		buf = nil
		return err
	}
	for {
		select {
		case it, ok := <-in:
			if !ok {
				return emit()
			}
			buf = append(buf, it)
			if len(buf) >= b.Size {
				if err := emit(); err != nil {
					return err
				}
			}
		case <-t.C:
			if err := emit(); err != nil {
				return err
			}
			t.Reset(b.Linger)
		case <-ctx.Done():
			return errors.Join(ctx.Err(), emit())
		}
	}
}

// SafeStage wraps a stage so that a panic on one item becomes an error for
// that item instead of killing the worker.
func SafeStage(name string, st Stage) Stage {
	return func(ctx context.Context, it Item) (out Item, keep bool, err error) {
		defer func() {
			report := func() {
				if p := recover(); p != nil { // HAZ recover-ineffective
					out, keep, err = it, true, fmt.Errorf("%s panicked: %v", name, p)
				}
			}
			report()
		}()
		return st(ctx, it)
	}
}

// Guard is SafeStage with recover called directly by the deferred func.
func Guard(name string, st Stage) Stage {
	return func(ctx context.Context, it Item) (out Item, keep bool, err error) {
		defer func() {
			if p := recover(); p != nil {
				out, keep, err = it, true, fmt.Errorf("%s panicked: %v", name, p)
			}
		}()
		return st(ctx, it)
	}
}

// Tap calls observe for every item that passes, e.g. to sample payloads
// into the debug log. Observers are best effort.
func Tap(observe func(Item)) Stage {
	return func(ctx context.Context, it Item) (Item, bool, error) {
		tapSafely(observe, it)
		return it, true, nil
	}
}

func tapSafely(observe func(Item), it Item) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			return
		}
	}()
	observe(it)
}
