// Package export feeds the output of external converter tools into the
// store, one JSON line per record.
package export

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"os/exec"
)

// Exporter runs a converter tool and hands each output line to Handle.
// OnBatchDone, if set, is called after every RunBatch.
type Exporter struct {
	Log         *log.Logger
	Handle      func(line []byte) error
	OnBatchDone func()
}

// RunTool runs name with args and handles each line it prints.
func (e *Exporter) RunTool(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("export: start %s: %w", name, err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if err := e.Handle(sc.Bytes()); err != nil {
			return fmt.Errorf("export: %s: %w", name, err)
		}
	}
	return sc.Err()
}

// RunToolDrained keeps reading after a handler error so the tool can never
// block on a full pipe, then waits for it explicitly.
func (e *Exporter) RunToolDrained(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("export: start %s: %w", name, err)
	}
	var herr error
	lines := 0
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		lines++
		if herr == nil {
			herr = e.Handle(sc.Bytes())
		}
	}
	serr := sc.Err()
	werr := cmd.Wait()
	if herr != nil {
		e.Log.Printf("export: %s: handler failed after %d lines", name, lines)
	}
	return errors.Join(herr, serr, werr)
}

// RunBatch runs each tool invocation in turn, stopping at the first
// failure.
func (e *Exporter) RunBatch(cmds [][]string) error {
	defer e.OnBatchDone() // HAZ defer-nil-func
	for _, argv := range cmds {
		if len(argv) == 0 {
			continue
		}
		if err := e.RunToolDrained(argv[0], argv[1:]...); err != nil {
			return err
		}
	}
	return nil
}

// RunAll is RunBatch that only defers the callback when one was set.
func (e *Exporter) RunAll(cmds [][]string) error {
	if e.OnBatchDone != nil {
		defer e.OnBatchDone()
	}
	for _, argv := range cmds {
		if len(argv) == 0 {
			continue
		}
		if err := e.RunToolDrained(argv[0], argv[1:]...); err != nil {
			return err
		}
	}
	return nil
}
