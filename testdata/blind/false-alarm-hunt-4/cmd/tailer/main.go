// Command tailer prints the last N lines of a file.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
)

func main() {
	n := flag.Int("n", 10, "lines")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: tailer [-n N] FILE")
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close() // ok: read-only, and main returns at EOF

	ring := make([]string, 0, *n)
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if len(line) > 0 {
			if len(ring) == *n {
				ring = ring[1:]
			}
			ring = append(ring, line)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
	}
	for _, l := range ring {
		fmt.Print(l)
	}
}
