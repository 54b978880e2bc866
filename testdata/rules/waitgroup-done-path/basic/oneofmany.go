package fixture

import (
	"math/rand"
	"sync"
)

// One group counted once for many goroutines: the goroutine the condition picks signals that
// the work has started; the others are counted by another group.
func FirstOfMany(work func()) {
	pick := rand.Intn(10)
	var one, all sync.WaitGroup
	one.Add(1)
	all.Add(10)
	for i := 0; i < 10; i++ {
		go func(i int) {
			work()
			all.Done()
			if i == pick {
				one.Done()
			}
		}(i)
	}
	one.Wait()
	all.Wait()
}

// Counted per goroutine: each one owes its Done.
func EachCounted(items []int, keep func(int) bool) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			if keep(it) {
				wg.Done() // want `^wg\.Done\(\) on line 35 is skipped by the path to the end of the function in the goroutine started on line 33`
			}
		}()
	}
	wg.Wait()
}

// Counted for every item before the loop: each one owes its Done.
func AllCounted(items []int, keep func(int) bool) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			if keep(it) {
				wg.Done() // want `^wg\.Done\(\) on line 49 is skipped by the path to the end of the function in the goroutine started on line 47`
			}
		}()
	}
	wg.Wait()
}
