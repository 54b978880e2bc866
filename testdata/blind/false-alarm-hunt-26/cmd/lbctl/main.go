// Command lbctl is the operator CLI for the balancers: it talks to the
// tcpproxy admin port and pokes backends directly.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/fah26/internal/config"
	"example.com/fah26/internal/tcpproxy"
)

const usage = `usage: lbctl [flags] COMMAND [ARGS]

commands:
  status                 show backend states
  drain NAME             take NAME out of rotation
  undrain NAME           hand NAME back to the health checker
  watch N                stream N status snapshots
  ping ADDR...           time a TCP connect to each address
  probe ADDR...          like ping, one connection open at a time
  fastest ADDR...        print the address that answers first
  banner ADDR            print the greeting line of ADDR
  check-config PATH      validate PATH (+ PATH.local) and resolve its backends
  open ADDR N            open N parallel connections to ADDR
  flood ADDR N           open N parallel connections and hold them briefly
  bench ADDR N           run N sequential ping sessions against ADDR
  bench-ci ADDR N        bench, with the summary logged after the runs`

func main() {
	log.SetFlags(0)
	log.SetPrefix("lbctl: ")
	admin := flag.String("admin", "127.0.0.1:9001", "tcpproxy admin address")
	lockPath := flag.String("lock", os.TempDir()+"/lbctl.lock", "lock file serialising operators")
	timeout := flag.Duration("timeout", 5*time.Second, "per-operation timeout")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}

	release, err := acquireLock(*lockPath)
	if err != nil {
		log.Fatalf("another operator is active: %v", err)
	}
	defer release()

	if err := dispatch(flag.Args(), *admin, *timeout); err != nil {
		log.Fatalf("%s: %v", flag.Arg(0), err) // HAZ exit-skips-defer
	}
}

func dispatch(args []string, admin string, timeout time.Duration) error {
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "status":
		reply, err := tcpproxy.Query(admin, "status", timeout)
		if err != nil {
			return err
		}
		printStatus(reply)
	case "drain", "undrain":
		if len(rest) != 1 {
			return errors.New("need exactly one backend name")
		}
		if _, err := tcpproxy.Query(admin, cmd+" "+rest[0], timeout); err != nil {
			return err
		}
		fmt.Printf("%s: %s\n", rest[0], cmd+"ed")
	case "watch":
		n := 10
		if len(rest) > 0 {
			v, err := strconv.Atoi(rest[0])
			if err != nil {
				return err
			}
			n = v
		}
		return tcpproxy.Watch(admin, n, os.Stdout, timeout)
	case "ping", "probe":
		results := pingAll(rest, timeout)
		if cmd == "probe" {
			results = pingEach(rest, timeout)
		}
		for addr, d := range results {
			fmt.Printf("%-24s %s\n", addr, d.Round(time.Microsecond))
		}
	case "banner":
		if len(rest) != 1 {
			return errors.New("need exactly one address")
		}
		line, err := banner(rest[0], timeout)
		if err != nil {
			return err
		}
		fmt.Println(line)
	case "check-config":
		if len(rest) != 1 {
			return errors.New("need exactly one path")
		}
		return checkConfig(rest[0], timeout)
	case "fastest":
		addr, err := fastest(rest, timeout)
		if err != nil {
			return err
		}
		fmt.Println(addr)
	case "open", "flood", "bench", "bench-ci":
		if len(rest) != 2 {
			return errors.New("need ADDR and N")
		}
		n, err := strconv.Atoi(rest[1])
		if err != nil {
			return err
		}
		return load(cmd, rest[0], n, timeout)
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
	return nil
}

// checkConfig validates a configuration the way the daemons will load it.
func checkConfig(path string, timeout time.Duration) error {
	cfg, err := config.LoadLayered(path, path+".local")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := cfg.CheckResolvable(ctx); err != nil {
		return err
	}
	fmt.Printf("%s: ok, %d backends\n", path, len(cfg.Backends))
	return nil
}

// load runs the load-generating commands.
func load(cmd, addr string, n int, timeout time.Duration) error {
	switch cmd {
	case "bench":
		return runBench(addr, n, timeout, log.New(os.Stdout, "", 0))
	case "bench-ci":
		return benchSummary(addr, n, timeout, log.New(os.Stdout, "", 0))
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var conns []net.Conn
	if cmd == "flood" {
		conns = openEach(ctx, addr, n)
	} else {
		var attempted int
		attempted, conns = openConns(ctx, addr, n)
		fmt.Printf("attempted %d\n", attempted)
	}
	open := 0
	for _, c := range conns {
		if c != nil {
			open++
			c.Close()
		}
	}
	fmt.Printf("opened %d of %d\n", open, n)
	return nil
}

// printStatus renders "a=up/3 b=down/0" as a table.
func printStatus(reply string) {
	for _, field := range strings.Fields(reply) {
		name, rest, ok := strings.Cut(field, "=")
		if !ok {
			continue
		}
		state, active, _ := strings.Cut(rest, "/")
		fmt.Printf("%-16s %-9s %s\n", name, state, active)
	}
}
