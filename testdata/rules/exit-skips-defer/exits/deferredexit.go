package exits

import (
	"fmt"
	"os"
)

var atExit []func()

// exitf runs the exit hooks and ends the process in its deferred literal, also when a hook panics.
func exitf(code int, format string, args ...any) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "exit hook panicked: %v\n", r)
		}
		os.Exit(code)
	}()
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	for i := len(atExit) - 1; i >= 0; i-- {
		atExit[i]()
	}
}

// notify runs the hooks, and exits only from a deferred literal under a condition.
func notify(fatal bool) {
	defer func() {
		if fatal {
			os.Exit(1)
		}
	}()
	for _, h := range atExit {
		h()
	}
}

func importFile(path string) error {
	dir, err := os.MkdirTemp("", "import")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	in, err := os.Open(path)
	if err != nil {
		exitf(3, "import: %v", err) // want `exitf → os\.Exit ends the process here in importFile while the deferred os\.RemoveAll\(dir\)`
	}
	defer in.Close()
	return nil
}

func importQuietly(path string) error {
	dir, err := os.MkdirTemp("", "import")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	notify(false)
	return nil
}
