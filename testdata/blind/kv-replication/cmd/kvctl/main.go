// Command kvctl is the operator and scripting client for the key-value store.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"example.com/kvreplication/internal/client"
)

var (
	servers  = flag.String("servers", "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003", "comma-separated server addresses")
	timeout  = flag.Duration("timeout", 5*time.Second, "per-command timeout")
	interval = flag.Duration("interval", 2*time.Second, "watch poll interval")
)

var errUsage = errors.New("usage: kvctl [flags] get|put|del|dump|watch ...")

func usage() {
	fmt.Fprintln(os.Stderr, errUsage)
	flag.PrintDefaults()
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kvctl: "+format+"\n", args...)
	os.Exit(1)
}

func newClient() *client.Client {
	return client.New(strings.Split(*servers, ","),
		client.WithRetries(4),
		client.WithBackoff(150*time.Millisecond),
		client.WithLogger(log.New(os.Stderr, "kvctl: ", 0)))
}

func run(cmd string, args []string) int {
	c := newClient()
	defer c.Close()
	var err error
	switch cmd {
	case "get":
		err = cmdGet(c, args)
	case "put":
		err = cmdPut(c, args)
	case "del":
		err = cmdDel(c, args)
	case "dump":
		err = cmdDump(c, args)
	default:
		err = errUsage
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kvctl:", err)
		return 1
	}
	return 0
}

func cmdGet(c *client.Client, args []string) error {
	if len(args) != 1 {
		return errUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	v, err := c.Get(ctx, args[0])
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(append(v, '\n'))
	return err
}

func cmdPut(c *client.Client, args []string) error {
	if len(args) != 2 {
		return errUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	val := []byte(args[1])
	if args[1] == "-" {
		var err error
		val, err = io.ReadAll(os.Stdin)
		if err != nil {
			log.Fatalf("kvctl: read value from stdin: %v", err) // HAZ exit-skips-defer
		}
	}
	return c.Put(ctx, args[0], val)
}

func cmdDel(c *client.Client, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	for _, k := range args {
		if err := c.Delete(ctx, k); err != nil {
			return fmt.Errorf("delete %s: %w", k, err)
		}
	}
	return nil
}

// cmdDump prints key=value lines for the given keys, buffered.
func cmdDump(c *client.Client, args []string) error {
	w := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := w.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, "kvctl: flush:", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	for _, k := range args {
		v, err := c.Get(ctx, k)
		if errors.Is(err, client.ErrNotFound) {
			continue
		}
		if err != nil {
			die("dump %s: %v", k, err) // HAZ exit-skips-defer
		}
		fmt.Fprintf(w, "%s=%s\n", k, v)
	}
	return nil
}

func watchOnce(c *client.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	leader, err := c.FindLeaderSafe(ctx)
	if err != nil {
		fmt.Printf("%s no leader: %v\n", time.Now().Format(time.TimeOnly), err)
		return
	}
	fmt.Printf("%s leader %s\n", time.Now().Format(time.TimeOnly), leader)
}

func main() {
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}
	if flag.Arg(0) != "watch" {
		os.Exit(run(flag.Arg(0), flag.Args()[1:]))
	}
	c := newClient()
	defer c.Close() // HAZ signal-skips-defer
	for {
		watchOnce(c)
		time.Sleep(*interval)
	}
}
