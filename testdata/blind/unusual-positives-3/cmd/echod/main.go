// Command echod exposes the echo plugin on a TCP port, one line per request.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"

	"example.com/unusualpos3/internal/plugin"
)

func main() {
	addr := flag.String("addr", ":7007", "listen address")
	flag.Parse()

	logger := log.New(os.Stderr, "echod: ", log.LstdFlags)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen: %v", err)
	}
	defer ln.Close()
	host := plugin.NewHost(plugin.Builtins(), logger)
	defer host.Shutdown()

	go acceptLoop(ln, host, logger)
	logger.Printf("serving on %s", ln.Addr())
	select {} // HAZ signal-skips-defer
}

// acceptLoop serves every accepted connection in its own goroutine.
func acceptLoop(ln net.Listener, host *plugin.Host, logger *log.Logger) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			logger.Printf("accept: %v", err)
			return
		}
		go echo(conn, host)
	}
}

// echo answers each line of conn through the echo plugin.
func echo(conn net.Conn, host *plugin.Host) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		resp, err := host.Call(context.Background(), "echo", plugin.Request{Op: "echo", Payload: sc.Bytes()})
		if err != nil {
			fmt.Fprintf(conn, "ERR %v\n", err)
			continue
		}
		fmt.Fprintf(conn, "%s\n", resp.Body)
	}
}
