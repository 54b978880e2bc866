// sync.WaitGroup.Go (Go 1.25) calls Done itself when the function returns.
package wggo

import (
	"fmt"
	"sync"
)

// A Done left over from the go-statement version: the counter goes negative.
func Double(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() {
			defer wg.Done() // want `wg.Go on line \d+ calls wg.Done itself when the function returns, so wg.Done\(\) here decrements the counter a second time`
			fmt.Println(it)
		})
	}
	wg.Wait()
}

// The migrated version: no Done of its own.
func Single(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() {
			fmt.Println(it)
		})
	}
	wg.Wait()
}

// Done of another group is that group's business.
func OtherGroup(items []int, outer *sync.WaitGroup) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() {
			defer outer.Done()
			fmt.Println(it)
		})
	}
	wg.Wait()
}
