package fixture

import (
	"sync"
	"testing"
)

// Tests wait for their goroutines in defers on purpose: not reported unless enabled.
func TestFanout(t *testing.T) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() { defer wg.Done() }()
}
