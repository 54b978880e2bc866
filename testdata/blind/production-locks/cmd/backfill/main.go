// Command backfill replays an export file into the metrics store and exits.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
)

type stats struct {
	lines, skipped int
}

func (s *stats) print() {
	fmt.Fprintf(os.Stderr, "backfill: %d lines, %d skipped\n", s.lines, s.skipped)
}

func main() {
	in := flag.String("in", "", "export file")
	flag.Parse()
	if *in == "" {
		fmt.Fprintln(os.Stderr, "backfill: -in is required")
		os.Exit(2)
	}

	f, err := os.Open(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "backfill:", err)
		os.Exit(1)
	}
	defer f.Close()

	var st stats
	defer st.print()

	sc := bufio.NewScanner(f)
	for sc.Scan() { // ok: bounded by the input, not a serve loop
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			st.skipped++
			continue
		}
		st.lines++
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "backfill: read:", err)
	}
}
