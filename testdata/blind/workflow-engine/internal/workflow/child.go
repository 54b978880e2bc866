package workflow

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ChildSpec describes a child workflow to start.
type ChildSpec struct {
	Workflow string
	Input    []byte
}

func childID(parent string, i int) string { return fmt.Sprintf("%s/child-%d", parent, i) }

// StartChildren starts all children concurrently and returns their IDs in
// spec order, or the first error.
func (r *Runner) StartChildren(ctx context.Context, parent string, specs []ChildSpec) ([]string, error) {
	type started struct {
		idx int
		id  string
		err error
	}
	ch := make(chan started)
	for i, spec := range specs {
		go func() {
			id := childID(parent, i)
			err := r.Start(ctx, spec.Workflow, id, spec.Input)
			ch <- started{i, id, err} // HAZ goroutine-blocked-send
		}()
	}
	ids := make([]string, len(specs))
	for range specs {
		s := <-ch
		if s.err != nil {
			return nil, fmt.Errorf("workflow: %s: child %d: %w", parent, s.idx, s.err)
		}
		ids[s.idx] = s.id
	}
	return ids, nil
}

// StartChildrenAll is StartChildren for callers that want every outcome:
// it always waits for all children and joins the errors.
func (r *Runner) StartChildrenAll(ctx context.Context, parent string, specs []ChildSpec) ([]string, error) {
	ids := make([]string, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = childID(parent, i)
			errs[i] = r.Start(ctx, spec.Workflow, ids[i], spec.Input)
		}()
	}
	wg.Wait()
	return ids, errors.Join(errs...)
}

// CancelChildren cancels the given children concurrently. hook, if set,
// runs after each cancellation; it is user code, so a panic in it must not
// stop the other cancellations.
func (r *Runner) CancelChildren(ctx context.Context, ids []string, hook func(id string)) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					r.log.Printf("workflow: child %s: cancel hook panicked: %v", id, p)
				}
			}()
			if err := r.Cancel(ctx, id, "parent canceled"); err != nil {
				r.log.Printf("workflow: cancel child %s: %v", id, err)
			}
			if hook != nil {
				hook(id)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}
