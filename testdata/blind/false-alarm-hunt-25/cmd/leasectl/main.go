// Command leasectl runs a command while holding a lease, so that only one copy runs cluster-wide.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"example.com/fah25/api"
	"example.com/fah25/internal/leaderelection"
)

func main() {
	os.Exit(run())
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "leasectl: "+format+"\n", args...)
	os.Exit(1)
}

func run() int {
	apiURL := flag.String("api", "http://127.0.0.1:8001", "base URL of the lease API")
	identity := flag.String("identity", "", "holder identity (default: host/pid)")
	ttl := flag.Duration("ttl", 30*time.Second, "lease duration")
	renew := flag.Bool("renew", false, "keep renewing the lease while the command runs")
	flag.Parse()
	if flag.NArg() < 2 {
		fmt.Fprintln(os.Stderr, "usage: leasectl [flags] NAME COMMAND [ARG...]")
		return 2
	}
	name, argv := flag.Arg(0), flag.Args()[1:]
	if *identity == "" {
		host, err := os.Hostname()
		if err != nil {
			fatalf("no -identity and no hostname: %v", err)
		}
		*identity = host + "/" + strconv.Itoa(os.Getpid())
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	client := leaderelection.NewLeaseClient(*apiURL, nil)
	if *renew {
		if err := runLeading(ctx, client, name, *identity, *ttl, argv); err != nil {
			log.Printf("leasectl: %v", err)
			return 1
		}
		return 0
	}
	now := time.Now()
	hold(ctx, client, &api.Lease{Name: name, HolderIdentity: *identity, LeaseDuration: *ttl, AcquireTime: now, RenewTime: now}, argv)
	return 0
}

// hold creates the lease, runs the command once and gives the lease back.
func hold(ctx context.Context, client *leaderelection.LeaseClient, l *api.Lease, argv []string) {
	held, err := client.Create(ctx, l)
	if err != nil {
		fatalf("acquire %s: %v", l.Name, err)
	}
	defer release(client, held)

	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fatalf("%s: %v", argv[0], err) // HAZ exit-skips-defer
	}
}

func release(client *leaderelection.LeaseClient, l *api.Lease) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.HolderIdentity = ""
	if _, err := client.Update(ctx, l); err != nil {
		log.Printf("leasectl: release %s: %v", l.Name, err)
	}
}

func runLeading(ctx context.Context, client *leaderelection.LeaseClient, name, identity string, ttl time.Duration, argv []string) error {
	le, err := leaderelection.NewLeaderElector(leaderelection.Config{
		Name:          name,
		Identity:      identity,
		LeaseDuration: ttl,
		RenewDeadline: ttl * 2 / 3,
		RetryPeriod:   ttl / 5,
		Callbacks: leaderelection.Callbacks{
			OnStartedLeading: func(context.Context) {},
			OnStoppedLeading: func() {},
		},
	}, client)
	if err != nil {
		return err
	}
	return le.Do(ctx, func(ctx context.Context) error {
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		return cmd.Run()
	})
}
