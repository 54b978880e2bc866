package procutil

import (
	"context"
	"fmt"
	"io"
	"os/exec"
)

// CallSafely runs fn and turns a panic into an error. The goroutine that
// drains the command output protects itself too.
func CallSafely(ctx context.Context, c *Cmd, fn func(io.Reader) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("procutil: %s: panic: %v", c, p)
		}
	}()
	pr, pw := io.Pipe()
	cmd := c.build(ctx)
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		defer func() {
			if p := recover(); p != nil {
				pw.CloseWithError(fmt.Errorf("panic: %v", p))
			}
		}()
		pw.CloseWithError(cmd.Wait())
	}()
	return fn(pr)
}

// StreamTo runs the command feeding stdin from r in a goroutine and guards
// the caller against panics in the consumer, but not the feeder.
func StreamTo(ctx context.Context, c *Cmd, r io.Reader, consume func(io.Reader) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("procutil: consumer panic: %v", p)
		}
	}()
	cmd := c.build(ctx)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go feed(stdin, r) // HAZ goroutine-outside-recover
	if err := consume(stdout); err != nil {
		return err
	}
	return cmd.Wait()
}

func feed(w io.WriteCloser, r io.Reader) {
	_, _ = io.Copy(w, r)
	_ = w.Close()
}

// Exists reports whether a command can be resolved.
func Exists(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}
