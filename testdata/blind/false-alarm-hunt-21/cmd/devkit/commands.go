package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"example.com/fah21/internal/execx"
	"example.com/fah21/internal/fsx"
	"example.com/fah21/internal/iterx"
	"example.com/fah21/internal/progress"
)

// cmdHash prints the SHA-256 of every file under a directory; Ctrl-C stops
// the walk and the workers.
func cmdHash(args []string) error {
	fs := flag.NewFlagSet("hash", flag.ContinueOnError)
	jobs := fs.Int("j", runtime.NumCPU(), "workers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	root := "."
	if fs.NArg() > 0 {
		root = fs.Arg(0)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	sp := progress.Start(os.Stderr, "hashing "+root, 200*time.Millisecond)
	sums, err := fsx.HashTree(ctx, root, *jobs)
	sp.Stop()
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	for _, s := range sums {
		if s.Err != nil {
			fmt.Fprintf(w, "%s  ERROR %v\n", s.Path, s.Err)
			continue
		}
		fmt.Fprintf(w, "%s  %s\n", s.Hex, s.Path)
	}
	return w.Flush()
}

// cmdDiff exits non-zero when two files differ.
func cmdDiff(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: devkit diff a b")
	}
	same, err := fsx.SameContents(args[0], args[1])
	if err != nil {
		return err
	}
	if !same {
		return fmt.Errorf("%s and %s differ", args[0], args[1])
	}
	return nil
}

// cmdGrep prints the lines of the named files that contain a pattern,
// stopping after -m matches.
func cmdGrep(args []string) error {
	fs := flag.NewFlagSet("grep", flag.ContinueOnError)
	maxMatches := fs.Int("m", 0, "stop after this many matches (0: no limit)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return errors.New("usage: devkit grep [-m n] pattern file...")
	}
	pat, paths := fs.Arg(0), fs.Args()[1:]
	w := bufio.NewWriter(os.Stdout)
	n := 0
files:
	for f, err := range iterx.Open(paths) {
		if err != nil {
			fmt.Fprintln(os.Stderr, "grep:", err)
			continue
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			if !strings.Contains(sc.Text(), pat) {
				continue
			}
			fmt.Fprintf(w, "%s:%d:%s\n", f.Name(), line, sc.Text())
			n++
			if *maxMatches > 0 && n >= *maxMatches {
				break files
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintln(os.Stderr, "grep:", err)
		}
	}
	return w.Flush()
}

// cmdCount prints the number of non-blank lines of each file.
func cmdCount(args []string) error {
	total := 0
	for _, p := range args {
		n := 0
		for line, err := range iterx.Lines(p) {
			if err != nil {
				return err
			}
			if strings.TrimSpace(line) != "" {
				n++
			}
		}
		fmt.Printf("%7d %s\n", n, p)
		total += n
	}
	fmt.Printf("%7d total\n", total)
	return nil
}

// cmdTools prints the versions of the external tools the generators use.
func cmdTools(args []string) error {
	names := args
	if len(names) == 0 {
		names = []string{"go", "gofmt", "git", "protoc"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	versions := execx.ToolVersions(ctx, names)
	for _, n := range names {
		v, ok := versions[n]
		if !ok {
			v = "timed out"
		}
		fmt.Printf("%-8s %s\n", n, v)
	}
	return nil
}
