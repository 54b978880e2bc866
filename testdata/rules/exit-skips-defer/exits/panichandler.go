package exits

import (
	"fmt"
	"log"
	"os"
	"regexp"
)

func failOnPanic(r any) {
	if r != nil {
		log.Printf("panicked: %v", r)
		os.Exit(2)
	}
}

// recoverAndReport only acts on a panic.
func recoverAndReport() {
	r := recover()
	failOnPanic(r)
}

// The deferred handlers only act on a panic, and there is none in flight at the exit.
func runSuite(pattern string) {
	defer recoverAndReport()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(os.Stderr, "suite panicked:", r)
		}
	}()
	if _, err := regexp.Compile(pattern); err != nil {
		fmt.Fprintln(os.Stderr, "bad pattern:", err)
		os.Exit(1)
	}
}

// A handler that also flushes on every return: the exit skips the flush.
func runReport(pattern string, out *os.File) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(os.Stderr, "report panicked:", r)
		}
		out.Sync()
	}()
	if _, err := regexp.Compile(pattern); err != nil {
		os.Exit(1) // want `os\.Exit ends the process here in runReport while the deferred function literal \(line \d+\) is pending`
	}
}
