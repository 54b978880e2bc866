//go:build go1.22

package loopvar

import "fmt"

// The //go:build line raises this file to go1.22: per-iteration loop variables.
func perIterationByBuildLine(n int) {
	for i := 0; i < n; i++ {
		defer func() {
			fmt.Println(i)
		}()
	}
}
