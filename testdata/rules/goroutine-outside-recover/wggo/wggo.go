// Goroutines started with sync.WaitGroup.Go (Go 1.25) are goroutines too.
package wggo

import (
	"fmt"
	"log"
	"sync"
)

func work(n int) {
	if n < 0 {
		panic("negative")
	}
}

// The parent recovers; the goroutine that wg.Go starts does not.
func Protected(n int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	var wg sync.WaitGroup
	wg.Go(func() { work(n) }) // want `Protected protects itself with a deferred recover \(line \d+\), but the goroutine that wg.Go starts on line \d+ has no recover of its own`
	wg.Wait()
	return nil
}

// The goroutine recovers on its own.
func ProtectedBoth(n int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	var wg sync.WaitGroup
	wg.Go(func() {
		defer func() {
			if r := recover(); r != nil {
				log.Println(r)
			}
		}()
		work(n)
	})
	wg.Wait()
	return nil
}
