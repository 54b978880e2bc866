// Command poolcheck opens a pool of connections to a server and checks that
// every one of them answers PING.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"example.com/netsrv/pool"
)

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "poolcheck: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	addr := flag.String("addr", "", "server address")
	n := flag.Int("n", 8, "connections to open")
	timeout := flag.Duration("timeout", 5*time.Second, "health check timeout")
	flag.Parse()

	if *addr == "" {
		die("-addr is required") // ok: nothing deferred yet
	}
	if err := pool.ProbeAddr(*addr, *timeout); err != nil {
		die("%s: %v", *addr, err) // ok: nothing deferred yet
	}

	p := pool.New(pool.Config{Addr: *addr, MaxIdle: *n})
	defer p.Close()

	tried := p.Warm(*n)
	_, idle := p.Stats()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	dead := p.CheckAll(ctx)
	if dead > 0 {
		die("%d of %d connections failed the health check", dead, idle) // HAZ exit-skips-defer
	}
	fmt.Printf("ok: %d/%d connections healthy\n", idle, tried)
}
