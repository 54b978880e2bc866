package fixture

import (
	"sync"
	"testing"
)

// With "tests": true, test files are checked too.
func TestFanout(t *testing.T) {
	var wg sync.WaitGroup
	defer wg.Wait() // want `^deferred wg\.Wait\(\) blocks until every goroutine of the group has called Done, so TestFanout cannot return`
	wg.Add(1)
	go func() { defer wg.Done() }()
}
