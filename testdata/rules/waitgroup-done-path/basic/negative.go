// Goroutines that always mark the group done: no findings.
package fixture

import "sync"

// The idiom: defer Done first.
func Deferred(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := fetch(id); err != nil {
				return
			}
		}()
	}
	wg.Wait()
}

// Done on every path.
func EveryPath(ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			if _, err := fetch(id); err != nil {
				wg.Done()
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// Done explicitly on the early path, deferred afterwards: the two never both run.
func EarlyThenDeferred(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if !ok {
			wg.Done()
			return
		}
		defer wg.Done()
		work()
	}()
	wg.Wait()
}

// A helper marks the group done.
func finish(wg *sync.WaitGroup) { wg.Done() }

func ViaHelper(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if !ok {
			finish(&wg)
			return
		}
		work()
		wg.Done()
	}()
	wg.Wait()
}

// One Done per item from a loop with no early exit.
func Items(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	go func() {
		for range items {
			work()
			wg.Done()
		}
	}()
	wg.Wait()
}

// Not a goroutine: an ordinary function that calls Done.
func notGoroutine(wg *sync.WaitGroup, ok bool) {
	if !ok {
		return
	}
	wg.Done()
}

// A panic without recover crashes the program anyway.
func Crash(f func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if f == nil {
			panic("nil func")
		}
		f()
		wg.Done()
	}()
	wg.Wait()
}

// Done of a different group on the return path.
func TwoGroups(ok bool) {
	var a, b sync.WaitGroup
	a.Add(1)
	b.Add(1)
	go func() {
		defer b.Done()
		if !ok {
			a.Done()
			return
		}
		a.Done()
	}()
	a.Wait()
	b.Wait()
}

// A closure called in place does the Done.
func InPlace(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if !ok {
			func() { wg.Done() }()
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// A user type with a Done method that is not a WaitGroup.
type tracker struct{ n int }

func (t *tracker) Done() { t.n-- }

func Tracked(t *tracker, ok bool) {
	go func() {
		if !ok {
			return
		}
		t.Done()
	}()
}

// A pool whose workers call Done once per item and stop when the queue is empty: the return of
// the select's default case takes no item.
func WorkerPool(queue chan func(), workers int) {
	var wg sync.WaitGroup
	wg.Add(len(queue))
	worker := func() {
		for {
			select {
			case job := <-queue:
				job()
			default:
				return
			}
			wg.Done()
		}
	}
	for i := 0; i < workers; i++ {
		go worker()
	}
	wg.Wait()
}

// A goroutine that starts itself again continues the work the group counted once.
func Churn(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	var churn func(i int)
	churn = func(i int) {
		if i == 0 {
			wg.Done()
		}
		if i < n {
			go churn(i + 1)
		}
	}
	go func() { churn(0) }()
	wg.Wait()
}

// Done signals readiness once, on the first pass of a loop that runs until told to stop: the
// flag starts false and is set only after Done, so every later pass has already called it.
func readyOnce(work func(), finish chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for i, ready := 0, false; ; i++ {
			work()
			if !ready {
				wg.Done()
				ready = true
			}
			select {
			case <-finish:
				return
			default:
			}
		}
	}()
	wg.Wait()
}

type dispatcher struct {
	jobs chan func()
	wg   sync.WaitGroup
}

// Done once per job; the worker returns only when the closed queue gave it no job.
func (d *dispatcher) start() {
	go func() {
		for {
			j, ok := <-d.jobs
			if !ok {
				return
			}
			j()
			d.wg.Done()
		}
	}()
}
