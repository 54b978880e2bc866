// Command compact copies a JSON-lines order file, dropping cancelled
// orders. The exit is itself deferred, first, so it runs after every other
// deferred call.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"example.com/up10/internal/events"
)

func main() {
	code := 0
	defer func() { os.Exit(code) }()

	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: compact IN OUT")
		code = 2
		return
	}
	in, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
		return
	}
	defer in.Close()
	kept, err := compact(in, flag.Arg(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, "compact:", err)
		code = 1
		return
	}
	fmt.Printf("kept %d orders\n", kept)
}

func compact(in io.Reader, outPath string) (kept int, err error) {
	out, err := os.Create(outPath)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	bw := bufio.NewWriter(out)
	dec := json.NewDecoder(in)
	enc := json.NewEncoder(bw)
	for dec.More() {
		var o events.Order
		if err := dec.Decode(&o); err != nil {
			return kept, err
		}
		if o.Status == "cancelled" {
			continue
		}
		if err := enc.Encode(o); err != nil {
			return kept, err
		}
		kept++
	}
	return kept, bw.Flush()
}
