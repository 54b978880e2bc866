// Command fmtcheck lists the Go files under the given roots that gofmt would
// change. The exit status is 1 when any file needs formatting.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/format"
	"os"
	"time"

	"example.com/fah21/internal/execx"
	"example.com/fah21/internal/iterx"
)

func main() {
	diff := flag.Bool("d", false, "print diffs (needs gofmt in PATH)")
	flag.Parse()
	roots := flag.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}
	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, "fmtcheck:", err)
		}
	}()
	bad := 0
	for _, root := range roots {
		for path := range iterx.Files(root, ".go") {
			ok, err := check(path)
			if err != nil {
				fmt.Fprintln(os.Stderr, "fmtcheck:", err)
				continue
			}
			if ok {
				continue
			}
			bad++
			fmt.Fprintln(out, path)
			if *diff {
				d, err := gofmtDiff(path)
				if err != nil {
					fmt.Fprintln(os.Stderr, "fmtcheck:", err)
					continue
				}
				out.Write(d)
			}
		}
	}
	if bad > 0 {
		os.Exit(1) // HAZ exit-skips-defer
	}
}

// check reports whether the file at path is gofmt-clean.
func check(path string) (bool, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	formatted, err := format.Source(src)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return bytes.Equal(src, formatted), nil
}

// gofmtDiff returns `gofmt -d path`.
func gofmtDiff(path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return execx.Output(ctx, "", "gofmt", "-d", path)
}
