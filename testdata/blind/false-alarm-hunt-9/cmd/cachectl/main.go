// Command cachectl replays an access trace against an LRU cache and prints
// the hit rate.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"example.com/falsealarm9/lru"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cachectl:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cachectl", flag.ContinueOnError)
	capacity := fs.Int("capacity", 1024, "cache capacity")
	top := fs.Int("top", 5, "print the N most recently used keys")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: cachectl [-capacity n] [-top n] TRACEFILE")
	}

	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	defer timed(stdout, "replay")()

	c, err := lru.New[string, int](*capacity, nil)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if _, ok := c.Get(sc.Text()); !ok {
			c.Add(sc.Text(), line)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}

	st := c.Stats()
	fmt.Fprintf(stdout, "hits=%d misses=%d evictions=%d\n", st.Hits, st.Misses, st.Evictions)
	for k, line := range lru.Take(c.All(), *top) {
		fmt.Fprintf(stdout, "  %s (first seen on line %d)\n", k, line)
	}
	return nil
}

// timed returns a func that reports how long has passed since timed ran.
func timed(w io.Writer, what string) func() {
	start := time.Now()
	return func() {
		fmt.Fprintf(w, "%s took %v\n", what, time.Since(start))
	}
}
