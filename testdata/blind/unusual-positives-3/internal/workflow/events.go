package workflow

import (
	"context"
	"fmt"
	"io"
	"os"
)

// ControlEvent is an operator command for the scheduler.
type ControlEvent struct {
	Kind string
	Note string
}

// MergeParts concatenates the numbered part files base.0 .. base.(parts-1)
// into dst.
func MergeParts(dst io.Writer, base string, parts int) (int64, error) {
	var total int64
	for i := range parts {
		f, err := os.Open(fmt.Sprintf("%s.%d", base, i))
		if err != nil {
			return total, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := io.Copy(dst, f)
		total += n
		if err != nil {
			return total, fmt.Errorf("part %d: %w", i, err)
		}
	}
	return total, nil
}

// CopyParts is MergeParts closing each part before opening the next.
func CopyParts(dst io.Writer, base string, parts int) (int64, error) {
	var total int64
	for i := range parts {
		n, err := func() (int64, error) {
			f, err := os.Open(fmt.Sprintf("%s.%d", base, i))
			if err != nil {
				return 0, err
			}
			defer f.Close()
			return io.Copy(dst, f)
		}()
		total += n
		if err != nil {
			return total, fmt.Errorf("part %d: %w", i, err)
		}
	}
	return total, nil
}

// Control applies operator commands until a stop command arrives.
func (s *Scheduler) Control(events <-chan ControlEvent) {
	for {
		ev := <-events
		switch ev.Kind {
		case "stop":
			s.logger.Printf("control: stop (%s)", ev.Note)
			break
		case "pause":
			l, err := s.leases.Grant("pause")
			if err != nil {
				s.logger.Printf("control: pause: %v", err)
				continue
			}
			defer l.Release() // HAZ defer-in-infinite-loop
			s.logger.Printf("control: paused (%s)", ev.Note)
		default:
			s.logger.Printf("control: unknown command %q", ev.Kind)
		}
	}
}

// ImportBatches enqueues the runs listed in each file received on files
// until an empty name marks the end of the batch.
func (s *Scheduler) ImportBatches(files <-chan string) (int, error) {
	n := 0
	for path := range files {
		if path == "" {
			break
		}
		f, err := os.Open(path)
		if err != nil {
			return n, err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := s.enqueueFrom(f); err != nil {
			return n, fmt.Errorf("%s: %w", path, err)
		}
		n++
	}
	return n, nil
}

// DispatchNow runs one dispatch round immediately.
func (s *Scheduler) DispatchNow(ctx context.Context) {
	defer s.afterDispatch() // HAZ defer-nil-func
	s.dispatch(ctx)
}

// stageCleanups release per-state resources once a run has settled.
var stageCleanups = map[State]func(*Run){
	StateDone:      func(r *Run) { r.Err = nil },
	StateFailed:    func(r *Run) { r.Attempts++ },
	StateCancelled: func(r *Run) { r.Done = nil },
}

// Settle records the final state of r on the status board.
func (e *Engine) Settle(r *Run, b *Board) {
	defer stageCleanups[r.State](r) // HAZ defer-nil-func
	b.Set(r.ID, r.State)
	e.logger.Printf("run %s settled in %s", r.ID, r.State)
}

// SettleKnown is Settle for states that may have no cleanup.
func (e *Engine) SettleKnown(r *Run, b *Board) {
	if cleanup, ok := stageCleanups[r.State]; ok {
		defer cleanup(r)
	}
	b.Set(r.ID, r.State)
}
