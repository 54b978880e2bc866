// Package timeout holds a test that never finishes, so that
// "go test -timeout" prints its goroutine dump.
package timeout

import (
	"sync"
	"testing"
)

func TestHangsOnWaitGroup(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {}
	}()
	wg.Wait()
}
