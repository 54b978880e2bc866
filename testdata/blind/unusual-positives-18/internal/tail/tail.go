// Package tail follows growing log files and watches spool directories.
package tail

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// Tailer follows one file and hands each complete line to Emit.
type Tailer struct {
	Poll    time.Duration
	Backoff time.Duration
	Emit    func(line string)
	lines   atomic.Int64
}

// Lines reports how many lines have been emitted.
func (t *Tailer) Lines() int64 { return t.lines.Load() }

// rotated reports whether path now names a different file than the one
// described by st.
func rotated(path string, st os.FileInfo) bool {
	cur, err := os.Stat(path)
	if err != nil || st == nil {
		return err == nil
	}
	return !os.SameFile(cur, st)
}

// Follow tails path for the life of the process, reopening it after
// rotation. It is meant to run in its own goroutine.
func (t *Tailer) Follow(path string) {
reopen:
	for {
		f, err := os.Open(path)
		if err != nil {
			time.Sleep(t.Backoff)
			continue reopen
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		st, _ := f.Stat()
		r := bufio.NewReader(f)
		var partial strings.Builder
		for {
			chunk, err := r.ReadString('\n')
			partial.WriteString(chunk)
			if errors.Is(err, io.EOF) {
				if rotated(path, st) {
					continue reopen
				}
				time.Sleep(t.Poll)
				continue
			}
			if err != nil {
				break
			}
			t.Emit(strings.TrimSuffix(partial.String(), "\n"))
			t.lines.Add(1)
			partial.Reset()
		}
	}
}

// FollowCtx tails path until ctx ends, reopening it after rotation. Each
// open file is closed before the next one is opened.
func (t *Tailer) FollowCtx(ctx context.Context, path string) error {
	for {
		if err := t.followOnce(ctx, path); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(t.Backoff):
		}
	}
}

// followOnce reads path until it is rotated away or ctx ends.
func (t *Tailer) followOnce(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	r := bufio.NewReader(f)
	var partial strings.Builder
	for ctx.Err() == nil {
		chunk, err := r.ReadString('\n')
		partial.WriteString(chunk)
		switch {
		case errors.Is(err, io.EOF):
			if rotated(path, st) {
				return nil
			}
			time.Sleep(t.Poll)
		case err != nil:
			return err
		default:
			t.Emit(strings.TrimSuffix(partial.String(), "\n"))
			t.lines.Add(1)
			partial.Reset()
		}
	}
	return nil
}
