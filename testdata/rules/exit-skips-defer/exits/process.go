package exits

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
)

// Restoring settings of the process on the way out: they end with the process anyway.
func reexec(args []string) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	old := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(old)
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "nothing to run")
		os.Exit(2)
	}
}

// A temporary file removed by a defer: exiting leaves it behind. Reported.
func reexecWithScratch(args []string) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dir, err := os.MkdirTemp("", "reexec")
	if err != nil {
		return
	}
	defer os.RemoveAll(dir)
	if len(args) == 0 {
		os.Exit(2) // want `os\.Exit ends the process here in reexecWithScratch while the deferred os\.RemoveAll\(dir\) \(line \d+\) is pending`
	}
}
