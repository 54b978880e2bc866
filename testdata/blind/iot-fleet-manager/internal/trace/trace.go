// Package trace prints coarse timing regions for operators debugging slow
// paths. Output is discarded unless SetOutput is called.
package trace

import (
	"fmt"
	"io"
	"sync"
	"time"
)

var (
	mu  sync.Mutex
	out io.Writer = io.Discard
)

// SetOutput directs trace output to w.
func SetOutput(w io.Writer) {
	mu.Lock()
	out = w
	mu.Unlock()
}

// Region marks the start of a named region and returns the function that
// ends it: `defer trace.Region("flush")()`.
func Region(name string) func() {
	start := time.Now()
	return func() { logf("%s: %v", name, time.Since(start)) }
}

// Since reports the time elapsed since start under name. It is meant to be
// deferred with a start time taken earlier: `defer trace.Since("x", start)`.
func Since(name string, start time.Time) {
	logf("%s: %v", name, time.Since(start))
}

func logf(format string, args ...any) {
	mu.Lock()
	defer mu.Unlock()
	fmt.Fprintf(out, format+"\n", args...)
}
