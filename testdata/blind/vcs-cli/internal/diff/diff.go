// Package diff computes line diffs for `vcs diff`, or hands them to an
// external diff tool.
package diff

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Op is the kind of one edit.
type Op byte

const (
	Keep   Op = ' '
	Insert Op = '+'
	Delete Op = '-'
)

// Edit is one line of a diff.
type Edit struct {
	Op   Op
	Line string
}

// ErrTooLarge is returned when an LCS table would not fit the budget.
var ErrTooLarge = errors.New("diff: inputs too large for a line diff")

// Lines computes a shortest edit script with the classic LCS table.
func Lines(a, b []string) ([]Edit, error) {
	if int64(len(a)+1)*int64(len(b)+1) > 1<<26 {
		return nil, ErrTooLarge
	}
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else if lcs[i+1][j] >= lcs[i][j+1] {
				lcs[i][j] = lcs[i+1][j]
			} else {
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var out []Edit
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, Edit{Keep, a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, Edit{Delete, a[i]})
			i++
		default:
			out = append(out, Edit{Insert, b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, Edit{Delete, a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, Edit{Insert, b[j]})
	}
	return out, nil
}

// Write prints edits as a unified-style diff without hunks.
func Write(w io.Writer, nameA, nameB string, edits []Edit) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "--- a/%s\n+++ b/%s\n", nameA, nameB)
	for _, e := range edits {
		bw.WriteByte(byte(e.Op))
		bw.WriteString(e.Line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// LinesWithin is Lines bounded by ctx; huge files are given up on.
func LinesWithin(ctx context.Context, a, b []string) ([]Edit, error) {
	type result struct {
		edits []Edit
		err   error
	}
	ch := make(chan result)
	go func() {
		edits, err := Lines(a, b)
		ch <- result{edits, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.edits, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// LinesBounded is LinesWithin with room in the channel for the abandoned
// result.
func LinesBounded(ctx context.Context, a, b []string) ([]Edit, error) {
	type result struct {
		edits []Edit
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		edits, err := Lines(a, b)
		ch <- result{edits, err}
	}()
	select {
	case r := <-ch:
		return r.edits, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// trackDuration logs how long name took since start; used as
// `defer trackDuration(logger, "diff", time.Now())`.
func trackDuration(logger *log.Logger, name string, start time.Time) {
	if logger != nil {
		logger.Printf("%s took %s", name, time.Since(start).Round(time.Microsecond))
	}
}

// External runs a user-configured diff program (diff.external).
type External struct {
	Tool    string
	Timeout time.Duration
	Logger  *log.Logger
}

// writeTemp stores data in a new temporary file and returns its name.
func writeTemp(pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// Run shows the difference between old and new versions of path with the
// external tool, giving it both versions as temporary files.
func (x *External) Run(ctx context.Context, path string, old, new []byte) error {
	defer trackDuration(x.Logger, "external diff "+path, time.Now())
	oldName, err := writeTemp("vcs-diff-old-*", old)
	if err != nil {
		return err
	}
	defer os.Remove(oldName)
	newName, err := writeTemp("vcs-diff-new-*", new)
	if err != nil {
		return err
	}
	defer os.Remove(newName)
	ctx, cancel := context.WithTimeout(ctx, x.Timeout)
	defer cancel()
	argv := strings.Fields(x.Tool)
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], path, oldName, newName)...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 1 {
			return nil // diff(1) convention: 1 means "files differ"
		}
		return fmt.Errorf("diff.external %q: %w", x.Tool, err)
	}
	return nil
}

// Split turns content into lines without the trailing newline.
func Split(data []byte) []string {
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
