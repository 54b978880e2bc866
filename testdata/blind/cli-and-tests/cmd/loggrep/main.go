// Command loggrep searches log files, local or remote, for a pattern.
//
//	loggrep [-v] [-c] [-m N] [-H] [-url URL] [-o out.gz] PATTERN [FILE...]
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"time"

	"example.com/clitests/internal/cliutil"
	"example.com/clitests/internal/grep"
)

// Exit codes follow grep: 0 found, 1 nothing found, 2 trouble.
const (
	exitFound   = 0
	exitNone    = 1
	exitTrouble = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) // ok: no defer in main
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loggrep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt grep.Options
	fs.BoolVar(&opt.Invert, "v", false, "select non-matching lines")
	fs.IntVar(&opt.MaxCount, "m", 0, "stop after `N` matches per file")
	fs.IntVar(&opt.Workers, "j", 4, "files searched in parallel")
	withName := fs.Bool("H", false, "print file names")
	countOnly := fs.Bool("c", false, "print only the number of matches")
	url := fs.String("url", "", "also search the log at `URL`")
	timeout := fs.Duration("timeout", 10*time.Second, "timeout for -url")
	export := fs.String("o", "", "also write the matches, gzip-compressed, to `file`")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to `file`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitFound
		}
		return exitTrouble
	}
	if fs.NArg() < 1 {
		fmt.Fprintln(stderr, "usage: loggrep [flags] PATTERN [FILE...]")
		return exitTrouble
	}
	re, err := regexp.Compile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "loggrep: %v\n", err)
		return exitTrouble
	}

	var stopProfile func() error
	if *cpuprofile != "" {
		stop, err := cliutil.StartCPUProfile(*cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "loggrep: %v\n", err)
			return exitTrouble
		}
		stopProfile = stop
	}
	defer stopProfile() // HAZ defer-nil-func

	matches, err := search(fs.Args()[1:], *url, *timeout, re, opt)
	if err != nil {
		fmt.Fprintf(stderr, "loggrep: %v\n", err)
		return exitTrouble
	}
	if *countOnly {
		err = printCount(stdout, len(matches))
	} else {
		err = printMatches(stdout, matches, *withName || fs.NArg() > 2)
	}
	if err != nil {
		fmt.Fprintf(stderr, "loggrep: %v\n", err)
		return exitTrouble
	}
	if *export != "" {
		if err := grep.ExportGzip(*export, matches); err != nil {
			fmt.Fprintf(stderr, "loggrep: %v\n", err)
			return exitTrouble
		}
	}
	if len(matches) == 0 {
		return exitNone
	}
	return exitFound
}

func search(paths []string, url string, timeout time.Duration, re *regexp.Regexp, opt grep.Options) ([]grep.Match, error) {
	var all []grep.Match
	if len(paths) > 0 {
		res, err := grep.SearchAll(context.Background(), paths, re, opt)
		if err != nil {
			return nil, err
		}
		for _, ms := range res {
			all = append(all, ms...)
		}
	}
	if url != "" {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		ms, err := grep.SearchURL(ctx, http.DefaultClient, url, re, opt)
		if err != nil {
			return nil, err
		}
		all = append(all, ms...)
	}
	return all, nil
}

func printMatches(out io.Writer, ms []grep.Match, withName bool) error {
	w := bufio.NewWriter(out)
	defer w.Flush() // HAZ defer-close-unchecked-write
	return grep.WriteText(w, ms, withName)
}

// printCount writes the number of matches; the flush error is returned.
func printCount(out io.Writer, n int) error {
	w := bufio.NewWriter(out)
	if _, err := fmt.Fprintf(w, "%d\n", n); err != nil {
		return err
	}
	return w.Flush() // ok: flushed explicitly and checked
}
