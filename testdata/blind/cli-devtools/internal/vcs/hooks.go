package vcs

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os/exec"
	"path/filepath"
)

// RunHook runs a repository hook with stdin from in. A panicking output
// callback is turned into an error; the stdin feeder recovers on its own.
func (r *Repo) RunHook(ctx context.Context, name string, in io.Reader, onOutput func([]byte)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("vcs: hook %s: panic: %v", name, p)
		}
	}()
	cmd := exec.CommandContext(ctx, filepath.Join(r.Root, ".git", "hooks", name))
	cmd.Dir = r.Root
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("vcsh: hook %s: stdin feeder panic: %v", name, p)
			}
		}()
		defer stdin.Close()
		_, _ = io.Copy(stdin, in)
	}()
	err = cmd.Wait()
	onOutput(out.Bytes())
	return err
}

// RunHooks runs hooks in order and stops at the first failure. No recover
// here, so the goroutine rule does not apply.
func (r *Repo) RunHooks(ctx context.Context, names []string, payload []byte) error {
	for _, name := range names {
		done := make(chan error, 1)
		go func() {
			done <- r.RunHook(ctx, name, bytes.NewReader(payload), func([]byte) {})
		}()
		if err := <-done; err != nil {
			return fmt.Errorf("hook %s: %w", name, err)
		}
	}
	return nil
}
