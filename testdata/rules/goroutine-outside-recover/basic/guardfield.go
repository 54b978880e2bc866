package outsiderecover

import (
	"fmt"
	"sync"
)

type panicGuard struct{ onPanic func() }

type jobRunner struct {
	mu   sync.Mutex
	errs []error
}

// guarded runs one job behind a recover kept in a field of a local guard.
func (r *jobRunner) guarded(job func()) {
	g := panicGuard{
		onPanic: func() {
			if v := recover(); v != nil {
				r.mu.Lock()
				r.errs = append(r.errs, fmt.Errorf("panic: %v", v))
				r.mu.Unlock()
			}
		},
	}
	defer g.onPanic()
	job()
}

// Each goroutine runs its job through guarded, which recovers: no finding.
func (r *jobRunner) runAll(jobs []func()) (err error) {
	g := panicGuard{
		onPanic: func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("panic: %v", v)
			}
		},
	}
	defer g.onPanic()
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.guarded(j)
		}()
	}
	wg.Wait()
	return nil
}

// The same protection, but the goroutine runs the job bare.
func (r *jobRunner) runAllBare(jobs []func()) (err error) {
	g := panicGuard{
		onPanic: func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("panic: %v", v)
			}
		},
	}
	defer g.onPanic()
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() { // want `jobRunner\.runAllBare protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ has no recover of its own`
			defer wg.Done()
			j()
		}()
	}
	wg.Wait()
	return nil
}
