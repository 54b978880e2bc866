// Command fqdump prints the records of a queue directory.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"example.com/falsealarm7/fqueue"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fqdump:", err)
		os.Exit(1)
	}
}

// run does the work so that main's exit happens after every defer in run
// has already executed.
func run(args []string, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("fqdump", flag.ContinueOnError)
	limit := fs.Int("n", 0, "print at most n records (0 = all)")
	quote := fs.Bool("q", false, "quote records")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: fqdump [-n N] [-q] DIR")
	}
	if bad, err := fqueue.Verify(fs.Arg(0)); err != nil {
		return fmt.Errorf("%s: %w", bad, err)
	}
	q, err := fqueue.Open(fs.Arg(0), fqueue.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, q.Close()) }()

	w := bufio.NewWriter(stdout)
	defer func() { err = errors.Join(err, w.Flush()) }()
	n := 0
	return q.ReplayEach(func(rec []byte) error {
		if *limit > 0 && n >= *limit {
			return nil
		}
		n++
		return printRecord(w, n, rec, *quote)
	})
}

func printRecord(w io.Writer, n int, rec []byte, quote bool) error {
	s := string(rec)
	if quote {
		s = strconv.Quote(s)
	}
	_, err := fmt.Fprintf(w, "%6d  %s\n", n, s)
	return err
}
