package pipe

import "sync"

// StartWorkers starts n workers with ids 0..n-1 and returns how many were
// started and a func that waits for all of them.
func StartWorkers(n int, work func(id int)) (started int, wait func()) {
	var wg sync.WaitGroup
	var id int
	for id = 0; id < n; id++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			work(id)
		}()
	}
	return id, wg.Wait
}

// StartWorkersFrom numbers workers from first; the header assigns an outer
// variable, so each iteration copies it before the closure captures it.
func StartWorkersFrom(first, n int, work func(id int)) (next int, wait func()) {
	var wg sync.WaitGroup
	var id int
	for id = first; id < first+n; id++ {
		id := id
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(id)
		}()
	}
	return id, wg.Wait
}

// StartNamed starts one worker per name; the range declares its variables,
// so under Go 1.24 every goroutine has its own copy.
func StartNamed(names []string, work func(i int, name string)) func() {
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(i, name)
		}()
	}
	return wg.Wait
}
