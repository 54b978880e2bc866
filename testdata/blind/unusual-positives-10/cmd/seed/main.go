// Command seed writes a file of demo orders. All cleanup lives in run, so
// it has happened by the time main exits.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"

	"example.com/up10/internal/events"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(args []string) (err error) {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	out := fs.String("o", "orders.jsonl", "output file")
	n := fs.Int("n", 100, "number of orders")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for i := 0; i < *n; i++ {
		o := events.Order{
			ID:       fmt.Sprintf("o-%05d", i),
			Customer: fmt.Sprintf("c-%03d", rand.Intn(50)),
			Total:    int64(rand.Intn(100000)),
			Status:   "open",
		}
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	return bw.Flush()
}
