// Command ckpt-inspect prints and compares checkpoint files.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"example.com/streamproc/internal/checkpoint"
)

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: ckpt-inspect show FILE | diff OLD NEW | verify DIR")
}

// show prints one checkpoint through a buffered writer flushed with its
// error checked.
func show(out io.Writer, path string) error {
	st, err := checkpoint.Load(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(out)
	fmt.Fprintf(bw, "group %s seq %d taken %s\n", st.Group, st.Seq, st.Taken)
	parts := make([]int, 0, len(st.Offsets))
	for p := range st.Offsets {
		parts = append(parts, p)
	}
	sort.Ints(parts)
	for _, p := range parts {
		fmt.Fprintf(bw, "  p%-3d %d\n", p, st.Offsets[p])
	}
	return bw.Flush()
}

func decodeState(r io.Reader) (checkpoint.State, error) {
	var st checkpoint.State
	err := json.NewDecoder(r).Decode(&st)
	return st, err
}

// diff prints the offset movement between two checkpoints.
func diff(out io.Writer, oldPath, newPath string) error {
	f, err := os.Open(oldPath)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	older, err := decodeState(f)
	if err != nil {
		return fmt.Errorf("%s: %w", oldPath, err)
	}
	f, err = os.Open(newPath)
	if err != nil {
		return err
	}
	newer, err := decodeState(f)
	if err != nil {
		return fmt.Errorf("%s: %w", newPath, err)
	}
	for p, off := range newer.Offsets {
		if d := off - older.Offsets[p]; d != 0 {
			fmt.Fprintf(out, "p%d: %+d\n", p, d)
		}
	}
	return nil
}

func verify(out io.Writer, dir string) error {
	bad, err := checkpoint.Verify(dir)
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Fprintf(out, "corrupt: %s\n", b)
	}
	if len(bad) > 0 {
		return errors.New("corrupt checkpoints found")
	}
	return nil
}

// run returns the exit code so that main can exit after every deferred call
// of run has completed.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		usage(stderr)
		return 2
	}
	var err error
	switch {
	case args[0] == "show":
		err = show(stdout, args[1])
	case args[0] == "diff" && len(args) == 3:
		err = diff(stdout, args[1], args[2])
	case args[0] == "verify":
		err = verify(stdout, args[1])
	default:
		usage(stderr)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "ckpt-inspect:", err)
		return 1
	}
	return 0
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
