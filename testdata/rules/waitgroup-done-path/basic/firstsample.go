package fixture

import (
	"sync"
	"time"
)

// collectFirst releases the caller's wait once, on the first sample or on failure: the deferred
// literal and the loop test and set the same local flag, so only one of them calls Done. No finding.
func collectFirst(samples <-chan int, first *sync.WaitGroup, record func(int)) {
	var gotFirst bool
	defer func() {
		if !gotFirst {
			gotFirst = true
			first.Done()
		}
	}()
	for {
		select {
		case <-time.After(time.Second):
			if !gotFirst {
				gotFirst = true
				first.Done()
			}
		case v, ok := <-samples:
			if !ok {
				return
			}
			record(v)
			if !gotFirst {
				gotFirst = true
				first.Done()
			}
		}
	}
}

func startCollectors(feeds []<-chan int, record func(int)) {
	var first sync.WaitGroup
	for _, f := range feeds {
		first.Add(1)
		go collectFirst(f, &first, record)
	}
	first.Wait()
}

// collectReset clears its flag after each sample, so the deferred Done can run after the loop's:
// the group's counter goes negative.
func collectReset(samples <-chan int, first *sync.WaitGroup, record func(int)) {
	var gotFirst bool
	defer func() {
		if !gotFirst {
			gotFirst = true
			first.Done()
		}
	}()
	for v := range samples {
		record(v)
		if !gotFirst {
			gotFirst = true
			first.Done() // want `first\.Done\(\) is deferred on line \d+ and called again`
		}
		gotFirst = false
	}
}

func startResetCollectors(feeds []<-chan int, record func(int)) {
	var first sync.WaitGroup
	for _, f := range feeds {
		first.Add(1)
		go collectReset(f, &first, record)
	}
	first.Wait()
}
