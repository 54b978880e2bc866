// Command gossip-probe pings gossip nodes and prints round-trip times; it
// exits non-zero if any node did not answer.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/pprof"
	"time"

	"example.com/gossip/transport"
	"example.com/gossip/wire"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gossip-probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", time.Second, "per-node timeout")
	useUDP := fs.Bool("udp", false, "ping with datagrams instead of streams")
	profile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: gossip-probe [-timeout d] [-udp] ADDR...")
		return 2
	}
	var stopProfile func()
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			fmt.Fprintln(stderr, "gossip-probe:", err)
			return 1
		}
		stopProfile = stop
	}
	defer stopProfile() // HAZ defer-nil-func

	ping := func(ctx context.Context, addr string) (time.Duration, error) {
		return udpPing(addr, *timeout)
	}
	if !*useUDP {
		tcp, err := transport.ListenTCP("127.0.0.1:0", *timeout)
		if err != nil {
			fmt.Fprintln(stderr, "gossip-probe:", err)
			return 1
		}
		defer tcp.Close()
		ping = tcp.Ping
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(fs.NArg())*(*timeout))
	defer cancel()
	failed := 0
	for _, addr := range fs.Args() {
		rtt, err := ping(ctx, addr)
		if err != nil {
			fmt.Fprintf(stdout, "%-22s DOWN  %v\n", addr, err)
			failed++
			continue
		}
		fmt.Fprintf(stdout, "%-22s UP    %v\n", addr, rtt.Round(time.Microsecond))
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// startProfile starts CPU profiling into path and returns the func that
// stops it.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "gossip-probe: closing profile:", err)
		}
	}, nil
}

// udpPing sends one ping datagram and waits for the ack.
func udpPing(addr string, timeout time.Duration) (time.Duration, error) {
	conn, err := net.Dial("udp", addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	b, err := (&wire.Message{Kind: wire.KindPing, From: "gossip-probe"}).MarshalBinary()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := conn.SetDeadline(start.Add(timeout)); err != nil {
		return 0, err
	}
	if _, err := conn.Write(b); err != nil {
		return 0, err
	}
	buf := make([]byte, 2048)
	n, err := conn.Read(buf)
	if err != nil {
		return 0, err
	}
	var reply wire.Message
	if err := reply.UnmarshalBinary(buf[:n]); err != nil {
		return 0, err
	}
	if reply.Kind != wire.KindAck {
		return 0, errors.New("unexpected reply " + reply.Kind.String())
	}
	return time.Since(start), nil
}
