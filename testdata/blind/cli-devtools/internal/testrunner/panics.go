package testrunner

import (
	"fmt"
	"io"
	"log"
	"strings"
)

func reportPanic(name string, w io.Writer) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		fmt.Fprintf(w, "--- PANIC %s: %v\n", name, p)
	}
}

// RunCase runs an in-process check and reports a panic.
func (r *Runner) RunCase(name string, fn func()) {
	defer func() {
		reportPanic(name, r.Out)
		r.logf("case %s finished", name)
	}()
	fn()
}

func (r *Runner) recordPanic(name string) {
	if p := recover(); p != nil {
		fmt.Fprintf(r.Out, "--- PANIC %s: %v\n", name, p)
	}
}

// RunCheck runs an in-process check; recordPanic is itself the deferred
// function, so its recover works.
func (r *Runner) RunCheck(name string, fn func()) {
	defer r.recordPanic(name)
	fn()
}

// RunInProcess runs an in-process test function, streaming its output.
func (r *Runner) RunInProcess(name string, fn func(io.Writer) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("test %s panicked: %v", name, p)
		}
	}()
	pr, pw := io.Pipe()
	go r.copyOutput(name, pr) // HAZ goroutine-outside-recover
	err = fn(pw)
	pw.Close()
	return err
}

func (r *Runner) copyOutput(name string, rd io.Reader) {
	buf := make([]byte, 4096)
	for {
		n, err := rd.Read(buf)
		for _, line := range strings.SplitAfter(string(buf[:n]), "\n") {
			if line != "" {
				fmt.Fprintf(r.Out, "[%s] %s", name, line)
			}
		}
		if err != nil {
			return
		}
	}
}

// RunQuiet runs fn and swallows a panicking teardown of the harness itself.
func (r *Runner) RunQuiet(fn func()) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			// harness teardown must never fail the run
		}
	}()
	fn()
}

// RunLogged runs fn and logs a panic before re-raising it.
func (r *Runner) RunLogged(name string, fn func()) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("trun: %s panicked: %v", name, p)
			panic(p)
		}
	}()
	fn()
}
