package loopvar

import "sync"

type entry struct {
	leaf     bool
	children []*entry
	value    int
}

// The goroutine is started and waited for in the same case of the iteration: it is done before
// the shared variable changes.
func visitAll(entries []*entry, out chan<- int) {
	var wg sync.WaitGroup
	for _, e := range entries {
		switch {
		case e.leaf:
			out <- e.value
		default:
			wg.Add(1)
			go func() {
				defer wg.Done()
				visitAll(e.children, out)
			}()
			wg.Wait()
		}
	}
}

// The same inside an if.
func visitIf(entries []*entry, out chan<- int) {
	var wg sync.WaitGroup
	for _, e := range entries {
		if !e.leaf {
			wg.Add(1)
			go func() {
				defer wg.Done()
				visitIf(e.children, out)
			}()
			wg.Wait()
		}
	}
}

// A continue between the go statement and the wait leaves the iteration without waiting.
func visitSkipping(entries []*entry, out chan<- int, skip func(*entry) bool) {
	var wg sync.WaitGroup
	for _, e := range entries {
		if !e.leaf {
			wg.Add(1)
			go func() { // want `the goroutine started on line 51 reads e, but e is declared by the loop on line 48`
				defer wg.Done()
				visitSkipping(e.children, out, skip)
			}()
			if skip(e) {
				continue
			}
			wg.Wait()
		}
	}
	wg.Wait()
}

// The wait in an inner block of its own is not reached by every iteration.
func visitSometimes(entries []*entry, out chan<- int, batch int) {
	var wg sync.WaitGroup
	for i, e := range entries {
		wg.Add(1)
		go func() { // want `the goroutine started on line 69 reads e, but e is declared by the loop on line 67`
			defer wg.Done()
			visitSometimes(e.children, out, batch)
		}()
		if (i+1)%batch == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
}
