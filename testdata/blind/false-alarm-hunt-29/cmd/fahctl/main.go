// Command fahctl talks to fahd.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"example.com/fah29/internal/httpx"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, out io.Writer) int {
	fs := flag.NewFlagSet("fahctl", flag.ContinueOnError)
	base := fs.String("server", "http://localhost:8080", "fahd base URL")
	timeout := fs.Duration("timeout", 30*time.Second, "overall timeout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() < 1 {
		usage(fs.Output())
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	c := httpx.NewClient(*base, nil)

	var err error
	switch cmd, rest := fs.Arg(0), fs.Args()[1:]; cmd {
	case "get":
		err = cmdGet(ctx, c, rest, out)
	case "put":
		err = cmdPut(ctx, c, rest)
	case "bench":
		err = cmdBench(ctx, c, rest, out)
	default:
		usage(fs.Output())
		return 2
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fahctl:", err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: fahctl [-server URL] [-timeout D] get KEY | put KEY VALUE | bench N")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "get prints a value, put stores one, bench fetches /kv/bench N times in parallel.")
}

func cmdGet(ctx context.Context, c *httpx.Client, args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("get takes one key")
	}
	var v any
	if err := c.GetJSON(ctx, "/kv/"+args[0], &v); err != nil {
		return err
	}
	_, err := fmt.Fprintln(out, v)
	return err
}

func cmdPut(ctx context.Context, c *httpx.Client, args []string) error {
	if len(args) != 2 {
		return errors.New("put takes a key and a value")
	}
	return c.PutJSON(ctx, "/kv/"+args[0], args[1])
}

// cmdBench fetches the same key n times concurrently. The error channel has
// one slot per request, so a request that finishes after a failure has been
// reported never blocks.
func cmdBench(ctx context.Context, c *httpx.Client, args []string, out io.Writer) error {
	n := 10
	if len(args) == 1 {
		if _, err := fmt.Sscan(args[0], &n); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	start := time.Now()
	errc := make(chan error, n)
	for range n {
		go func() {
			var v any
			errc <- c.GetJSON(ctx, "/kv/bench", &v)
		}()
	}
	for range n {
		if err := <-errc; err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(out, "%d requests in %v\n", n, time.Since(start))
	return err
}
