// Command dnsprobe resolves the names given on the command line.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"example.com/netsrv/dnsclient"
)

type stats struct {
	ok, failed int
	start      time.Time
}

func (s *stats) print(w io.Writer) {
	fmt.Fprintf(w, "%d resolved, %d failed in %v\n", s.ok, s.failed, time.Since(s.start).Round(time.Millisecond))
}

func main() {
	servers := flag.String("servers", "127.0.0.1:5353", "comma-separated resolver addresses")
	timeout := flag.Duration("timeout", time.Second, "per-attempt timeout")
	retries := flag.Int("retries", 2, "retries per query")
	total := flag.Duration("deadline", 10*time.Second, "overall deadline")
	flag.Parse()

	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: dnsprobe [flags] name...")
		os.Exit(2) // ok: nothing deferred yet
	}
	c, err := dnsclient.New(strings.Split(*servers, ","), *timeout, *retries)
	if err != nil {
		log.Fatal(err) // ok: nothing deferred yet
	}
	defer c.Close()

	st := &stats{start: time.Now()}
	defer st.print(os.Stderr)

	ctx, cancel := context.WithTimeout(context.Background(), *total)
	defer cancel()
	for _, name := range flag.Args() {
		addrs, err := c.Resolve(ctx, name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			st.failed++
			continue
		}
		st.ok++
		fmt.Println(name, strings.Join(addrs, " "))
	}
	if st.failed > 0 {
		os.Exit(1) // HAZ exit-skips-defer
	}
}
