// Goroutines whose wg.Done() some path skips, or calls twice.
package fixture

import (
	"errors"
	"sync"
)

func fetch(id int) (int, error) {
	if id < 0 {
		return 0, errors.New("bad id")
	}
	return id * 2, nil
}

// An early error return skips Done.
func FetchAll(ids []int) []int {
	var wg sync.WaitGroup
	out := make([]int, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			v, err := fetch(id)
			if err != nil {
				return
			}
			out[i] = v
			wg.Done() // want `^wg\.Done\(\) on line 28 is skipped by the return on line 25 in the goroutine started on line 22, so the group is never marked done and wg\.Wait\(\) blocks forever`
		}()
	}
	wg.Wait()
	return out
}

// A named worker launched with go, taking the group by pointer.
func worker(id int, wg *sync.WaitGroup, results chan<- int) {
	v, err := fetch(id)
	if err != nil {
		return
	}
	results <- v
	wg.Done() // want `^wg\.Done\(\) on line 42 is skipped by the return on line 39 in worker \(started as a goroutine on line 50\)`
}

func RunWorkers(ids []int) {
	var wg sync.WaitGroup
	results := make(chan int, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go worker(id, &wg, results)
	}
	wg.Wait()
}

// Done only on one branch: the other falls off the end.
func Conditional(flag bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if flag {
			wg.Done() // want `is skipped by the path to the end of the function in the goroutine started on line 59`
		}
	}()
	wg.Wait()
}

// Deferred and explicit: the counter goes negative.
func Twice() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		work()
		wg.Done() // want `^wg\.Done\(\) is deferred on line 72 and called again on line 74 in the goroutine started on line 71, so the group's counter is decremented twice`
	}()
	wg.Wait()
}

func work() {}

// A struct field group, method goroutine.
type Pool struct {
	wg   sync.WaitGroup
	jobs chan int
}

func (p *Pool) loop() {
	for j := range p.jobs {
		if j < 0 {
			return
		}
	}
	p.wg.Done() // want `^p\.wg\.Done\(\) on line 93 is skipped by the return on line 90 in Pool\.loop \(started as a goroutine on line 98\)`
}

func (p *Pool) Start() {
	p.wg.Add(1)
	go p.loop()
}

// A panic stopped by the goroutine's own recover: it exits without Done.
func Recovered(f func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer func() {
			_ = recover()
		}()
		if f == nil {
			panic("nil func")
		}
		f()
		wg.Done() // want `is skipped by the panic on line 110 \(stopped by the goroutine's own recover\)`
	}()
	wg.Wait()
}

// Done inside the loop, one per item, but an early return leaves the rest undone.
func PerItem(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	go func() {
		for _, it := range items {
			if it < 0 {
				return
			}
			wg.Done() // want `is skipped by the return on line 125`
		}
	}()
	wg.Wait()
}

// A switch case that returns before Done.
func Switch(kind int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		switch kind {
		case 0:
			return
		case 1:
			work()
		}
		wg.Done() // want `is skipped by the return on line 140`
	}()
	wg.Wait()
}

// A literal held by a variable and started through it.
func ViaVariable(items []int) {
	var wg sync.WaitGroup
	work := func(it int) {
		if it < 0 {
			return
		}
		wg.Done() // want `^wg\.Done\(\) on line 156 is skipped by the return on line 154 in the goroutine started on line 160`
	}
	for _, it := range items {
		wg.Add(1)
		go work(it)
	}
	wg.Wait()
}

// Done per item, and a return after an item was taken.
func PoolFails(queue chan int, f func(int) error) {
	var wg sync.WaitGroup
	wg.Add(len(queue))
	go func() {
		for {
			select {
			case it := <-queue:
				if err := f(it); err != nil {
					return
				}
			default:
				return
			}
			wg.Done() // want `is skipped by the return on line 174`
		}
	}()
	wg.Wait()
}

// The flag is a parameter: it may arrive true, and then Done is never called.
func readyUnlessWarm(work func(), finish chan struct{}, warm bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func(ready bool) {
		for {
			work()
			if !ready {
				wg.Done() // want `wg.Done\(\) on line \d+ is skipped by the return on line \d+`
				ready = true
			}
			select {
			case <-finish:
				return
			default:
			}
		}
	}(warm)
	wg.Wait()
}

// The group reaches the goroutine as a parameter: the message names the parent's wg for Wait.
func paramGroup(items []int, step func(int) error) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(done *sync.WaitGroup) {
			if err := step(it); err != nil {
				return
			}
			done.Done() // want `done.Done\(\) on line \d+ is skipped by the return on line \d+ .* and wg.Wait\(\) blocks forever; call defer done.Done\(\)`
		}(&wg)
	}
	wg.Wait()
}

// An early Done whose return was forgotten: the deferred Done below runs too.
func doubleDoneEarly(items []int, step func(int) error) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			if err := step(it); err != nil {
				wg.Done() // want `wg.Done\(\) on line \d+ in the goroutine started on line \d+ is followed on the same path by defer wg.Done\(\) on line \d+`
			}
			defer wg.Done()
			_ = step(it + 1)
		}()
	}
	wg.Wait()
}
