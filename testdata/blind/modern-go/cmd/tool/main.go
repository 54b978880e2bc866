// Command tool hashes the files named in a list and prints the sums.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/moderngo/ctxutil"
	"example.com/moderngo/iterx"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: tool LISTFILE") // ok: before any defer
	}
	os.Exit(run(os.Args[1]))
}

func run(list string) int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var sums map[string]string
	err := ctxutil.Pipeline(ctx,
		func(context.Context) error {
			var err error
			sums, err = iterx.SumAll(list)
			return err
		},
		func(context.Context) error { return iterx.Report(os.Stdout, sums) },
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tool:", err)
		return 1 // ok: return, not exit; the deferred cancel runs
	}
	return 0
}
