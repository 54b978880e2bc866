// Command plugind serves the plugin host over a unix socket.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"example.com/unusualpos3/internal/plugin"
)

// wireRequest is one request line on the socket.
type wireRequest struct {
	Plugin string         `json:"plugin"`
	Req    plugin.Request `json:"req"`
}

func main() {
	sock := flag.String("socket", "/run/plugind.sock", "unix socket path")
	flag.Parse()

	logger := log.New(os.Stderr, "plugind: ", log.LstdFlags)
	ln, err := net.Listen("unix", *sock)
	if err != nil {
		logger.Fatalf("listen: %v", err)
	}
	defer os.Remove(*sock)
	defer ln.Close()

	host := plugin.NewHost(plugin.Builtins(), logger)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- serveConns(ln, host, logger) }()

	for {
		select {
		case s := <-sigs:
			logger.Printf("%v: stopping", s)
			return
		case err := <-errc:
			logger.Printf("serve: %v", err)
			syscall.Exit(3) // HAZ exit-skips-defer
		}
	}
}

// serveConns accepts connections until ln is closed.
func serveConns(ln net.Listener, host *plugin.Host, logger *log.Logger) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		go handleConn(conn, host, logger)
	}
}

// handleConn serves request lines on one connection.
func handleConn(conn net.Conn, host *plugin.Host, logger *log.Logger) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	enc := json.NewEncoder(conn)
	for sc.Scan() {
		var wr wireRequest
		if err := json.Unmarshal(sc.Bytes(), &wr); err != nil {
			logger.Printf("bad request: %v", err)
			return
		}
		resp, err := host.Call(context.Background(), wr.Plugin, wr.Req)
		if err != nil {
			resp = plugin.Response{Status: 500, Body: []byte(err.Error())}
		}
		if err := enc.Encode(resp); err != nil {
			return
		}
	}
}
