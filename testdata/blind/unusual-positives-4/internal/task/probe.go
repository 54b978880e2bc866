//go:build go1.21

// This file is also compiled by the release builders' pinned go1.21
// toolchain, hence the constraint.

package task

import (
	"os/exec"
	"sync"
)

// ProbeTools checks, in parallel, that every tool the build needs is on PATH.
func ProbeTools(tools []string, logf func(format string, args ...any)) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]error, len(tools))
	)
	started := 0
	for _, tool := range tools {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_, err := exec.LookPath(tool)
			mu.Lock()
			defer mu.Unlock()
			out[tool] = err
		}()
		started++
	}
	wg.Wait()
	if logf != nil {
		logf("probed %d tools", started)
	}
	return out
}
