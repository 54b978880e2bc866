// Command poolctl talks to a backend through a connection pool: ping it,
// run a command, or benchmark the pool.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"example.com/fah27/internal/pool"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	os.Exit(run(os.Args[1], os.Args[2:]))
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: poolctl ping|exec|bench [-addr host:port] [-n N] [args...]")
	os.Exit(2)
}

// run executes one subcommand and returns the exit code. All cleanup is
// deferred here, so it runs before main calls os.Exit.
func run(cmd string, args []string) int {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:6380", "backend address")
	n := fs.Int("n", 1000, "requests for bench")
	conc := fs.Int("c", 8, "concurrency for bench")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	p, err := pool.New(pool.Config{Addr: *addr, MaxOpen: *conc, MaxIdle: *conc})
	if err != nil {
		fmt.Fprintln(os.Stderr, "poolctl:", err)
		return 1
	}
	defer p.Close()

	switch cmd {
	case "ping":
		err = cmdPing(ctx, p)
	case "exec":
		err = cmdExec(ctx, p, fs.Args())
	case "bench":
		err = cmdBench(ctx, p, *n, *conc)
	default:
		fmt.Fprintf(os.Stderr, "poolctl: unknown command %q\n", cmd)
		return 2
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "poolctl:", err)
		return 1
	}
	return 0
}

func cmdPing(ctx context.Context, p *pool.Pool) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	start := time.Now()
	if err := p.Do(ctx, func(c *pool.Conn) error { return c.Ping(ctx) }); err != nil {
		return err
	}
	fmt.Printf("PONG in %s\n", time.Since(start).Round(time.Microsecond))
	return nil
}

func cmdExec(ctx context.Context, p *pool.Pool, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("exec: missing command")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return p.Do(ctx, func(c *pool.Conn) error {
		reply, err := c.Exec(ctx, strings.Join(args, " "))
		if err != nil {
			return err
		}
		fmt.Println(reply)
		return nil
	})
}

// cmdBench sends n pings from conc workers and prints the throughput.
func cmdBench(ctx context.Context, p *pool.Pool, n, conc int) error {
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) && ctx.Err() == nil {
				err := p.Do(ctx, func(c *pool.Conn) error { return c.Ping(ctx) })
				if err != nil {
					failed.Add(1)
					if failed.Load() == 1 {
						fmt.Fprintf(os.Stderr, "worker %d: %v\n", w, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	fmt.Printf("%d requests, %d failed, %.0f req/s\n", n, failed.Load(), float64(n)/took.Seconds())
	fmt.Printf("reuse ratio %.2f\n", p.Stats().ReuseRatio())
	return ctx.Err()
}
