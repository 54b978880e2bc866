// Command leasectl inspects and holds leases on the lease service.
//
//	leasectl get   <name>...
//	leasectl watch <name>
//	leasectl hold  <name> <identity>
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"example.com/fah31/internal/leader"
)

func printLeases(ctx context.Context, c *leader.HTTPLeaseClient, names []string) error {
	leases, err := c.GetEach(ctx, names)
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, n := range names {
		l, ok := leases[n]
		if !ok {
			fmt.Printf("%s\t<free>\n", n)
			continue
		}
		fmt.Printf("%s\t%s\trenewed %s ago\n", n, l.Holder, time.Since(l.Renewed).Round(time.Second))
	}
	return nil
}

// watch prints the holder of name on every tick until ctx is cancelled.
func watch(ctx context.Context, c *leader.HTTPLeaseClient, name string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			break
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, every)
		defer cancel() // HAZ defer-in-infinite-loop
		l, err := c.Get(rctx, name)
		if err != nil {
			fmt.Printf("%s\terror: %v\n", time.Now().Format(time.TimeOnly), err)
			continue
		}
		fmt.Printf("%s\t%s\n", time.Now().Format(time.TimeOnly), l.Holder)
	}
}

// watchUntil is watch with a labeled break and the per-tick deadline
// scoped to a helper.
func watchUntil(ctx context.Context, c *leader.HTTPLeaseClient, name string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-t.C:
		}
		printHolder(ctx, c, name, every)
	}
	fmt.Println("watch stopped")
}

func printHolder(ctx context.Context, c *leader.HTTPLeaseClient, name string, timeout time.Duration) {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	l, err := c.Get(rctx, name)
	if err != nil {
		fmt.Printf("%s\terror: %v\n", time.Now().Format(time.TimeOnly), err)
		return
	}
	fmt.Printf("%s\t%s\n", time.Now().Format(time.TimeOnly), l.Holder)
}

// hold takes the lease and renews it until ctx is cancelled, releasing it
// with a bounded deadline on the way out.
func hold(ctx context.Context, logger *log.Logger, c leader.LeaseClient, name, id string, d time.Duration) {
	now := time.Now()
	l := leader.Lease{Holder: id, Acquired: now, Renewed: now, Duration: d}
	if err := c.Update(ctx, name, l); err != nil {
		logger.Fatalf("take %s: %v", name, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.Release(rctx, name, id); err != nil {
			logger.Printf("release %s: %v", name, err)
		}
	}()
	t := time.NewTicker(d / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Renewed = time.Now()
			if err := c.Update(ctx, name, l); err != nil {
				logger.Fatalf("renew %s: %v", name, err) // HAZ exit-skips-defer
			}
		}
	}
}

// holdChecked returns the renewal error instead of exiting, so the deferred
// release always runs.
func holdChecked(ctx context.Context, c leader.LeaseClient, name, id string, d time.Duration) error {
	now := time.Now()
	l := leader.Lease{Holder: id, Acquired: now, Renewed: now, Duration: d}
	if err := c.Update(ctx, name, l); err != nil {
		return fmt.Errorf("take %s: %w", name, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.Release(rctx, name, id); err != nil {
			log.Printf("release %s: %v", name, err)
		}
	}()
	t := time.NewTicker(d / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			l.Renewed = time.Now()
			if err := c.Update(ctx, name, l); err != nil {
				return fmt.Errorf("renew %s: %w", name, err)
			}
		}
	}
}

func main() {
	server := flag.String("server", "http://127.0.0.1:7070", "lease service URL")
	token := flag.String("token", os.Getenv("LEASE_TOKEN"), "bearer token")
	every := flag.Duration("every", 2*time.Second, "watch interval")
	flag.Parse()
	args := flag.Args()
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: leasectl get|watch|hold <name> [identity]")
		os.Exit(2)
	}
	logger := log.New(os.Stderr, "leasectl: ", 0)
	c := leader.NewHTTPLeaseClient(*server, *token, nil)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var err error
	switch args[0] {
	case "get":
		err = printLeases(ctx, c, args[1:])
	case "watch":
		watchUntil(ctx, c, args[1], *every)
	case "hold":
		if len(args) != 3 {
			err = fmt.Errorf("hold needs <name> <identity>")
			break
		}
		err = holdChecked(ctx, c, args[1], args[2], 15*time.Second)
	default:
		err = fmt.Errorf("unknown command %q", args[0])
	}
	stop()
	if err != nil {
		logger.Fatal(err)
	}
}
