// Command leasectl is the command-line client of leased.
//
//	leasectl [-endpoints a,b] grant TTL
//	leasectl revoke LEASE
//	leasectl lock NAME CMD [ARGS...]   run CMD while holding lock NAME
//	leasectl health ADMIN-URL
//	leasectl backup ADMIN-URL FILE
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"example.com/leaselock/client"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: leasectl [-endpoints host:port,...] grant|revoke|lock|health|backup ARGS")
	flag.PrintDefaults()
}

func main() {
	log.SetFlags(0)
	flag.Usage = usage
	endpoints := flag.String("endpoints", "127.0.0.1:7420", "comma-separated server addresses")
	timeout := flag.Duration("timeout", 5*time.Second, "per-request timeout")
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}
	os.Exit(run(strings.Split(*endpoints, ","), *timeout, flag.Args()))
}

// run executes one subcommand and returns the exit code.
func run(endpoints []string, timeout time.Duration, args []string) int {
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "health":
		if len(rest) != 1 {
			err = errors.New("usage: health ADMIN-URL")
			break
		}
		err = cmdHealth(rest[0])
	case "backup":
		if len(rest) != 2 {
			err = errors.New("usage: backup ADMIN-URL FILE")
			break
		}
		err = cmdBackup(rest[0], rest[1])
	default:
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		c, cerr := client.New(ctx, client.Config{Endpoints: endpoints, MaxRetries: 3})
		if cerr != nil {
			err = cerr
			break
		}
		defer c.Close()
		switch cmd {
		case "grant":
			err = cmdGrant(ctx, c, rest)
		case "revoke":
			err = cmdRevoke(ctx, c, rest)
		case "lock":
			err = cmdLock(c, rest)
		default:
			err = fmt.Errorf("unknown command %q", cmd)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "leasectl: %v\n", err)
		return 1
	}
	return 0
}

func cmdGrant(ctx context.Context, c *client.Client, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: grant TTL (e.g. 30s)")
	}
	ttl, err := time.ParseDuration(args[0])
	if err != nil {
		return err
	}
	id, err := c.Grant(ctx, ttl)
	if err != nil {
		return err
	}
	fmt.Println(id)
	return nil
}

func cmdRevoke(ctx context.Context, c *client.Client, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: revoke LEASE")
	}
	n, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return err
	}
	return c.Revoke(ctx, client.LeaseID(n))
}

// bounded runs fn with a fresh context that expires after d; deferred
// network cleanup goes through it so that it can never hang the exit.
func bounded(d time.Duration, fn func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := fn(ctx); err != nil {
		log.Printf("leasectl: cleanup: %v", err)
	}
}

// cmdLock runs a command while holding a lock, like `flock` across hosts.
// The lock lives under a session lease, so it is released even if this
// process dies, one TTL later.
func cmdLock(c *client.Client, args []string) error {
	if len(args) < 2 {
		return errors.New("usage: lock NAME CMD [ARGS...]")
	}
	ctx := context.Background()
	sess, err := c.NewSession(ctx, 15*time.Second)
	if err != nil {
		return err
	}
	defer bounded(3*time.Second, sess.Close)
	mu := client.NewMutex(sess, args[0])
	if err := mu.Lock(ctx); err != nil {
		return err
	}
	defer bounded(3*time.Second, mu.Unlock)

	cmd := exec.Command(args[1], args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			log.Fatalf("leasectl: %s exited with status %d", args[1], ee.ExitCode()) // HAZ exit-skips-defer
		}
		return err
	}
	return nil
}

// cmdHealth prints the status document of a server's admin endpoint.
func cmdHealth(adminURL string) error {
	u := strings.TrimSuffix(adminURL, "/") + "/status"
	start := time.Now()
	resp, _ := http.Get(u)
	rtt := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s", resp.Status)
	}
	fmt.Printf("%s answered in %v\n", u, rtt.Round(time.Millisecond))
	_, err := io.Copy(os.Stdout, resp.Body)
	return err
}

// cmdBackup saves the lease table of a server to a local file.
func cmdBackup(adminURL, path string) error {
	resp, err := http.Get(strings.TrimSuffix(adminURL, "/") + "/leases")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("backup: %s", resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(f, resp.Body)
	return err
}
