// Command bufdump prints the points stored in buffer segments (plain or
// gzipped) as CSV on standard output.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"example.com/edgehub/internal/tsbuf"
)

func main() {
	flag.Parse()
	if flag.NArg() == 0 {
		die("usage: bufdump SEGMENT...")
	}
	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, "bufdump:", err)
		}
	}()
	for _, name := range flag.Args() {
		if err := dump(out, name); err != nil {
			die("%s: %v", name, err) // HAZ exit-skips-defer
		}
	}
}

// die prints a message to standard error and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bufdump: %s\n", fmt.Sprintf(format, args...))
	os.Exit(1)
}

// dump writes the points of one segment to w.
func dump(w io.Writer, name string) error {
	var (
		pts []tsbuf.Point
		err error
	)
	if strings.HasSuffix(name, ".gz") {
		pts, err = tsbuf.ReadArchive(name)
	} else {
		pts, err = tsbuf.ReadSegment(name)
	}
	if err != nil {
		return err
	}
	for _, p := range pts {
		if _, err := fmt.Fprintf(w, "%s,%g,%s\n", p.Series, p.Value, p.At.UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
	}
	return nil
}
