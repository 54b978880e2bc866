// Command fahspool accepts spool requests on a unix socket.
package main

import (
	"bufio"
	"context"
	"flag"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"example.com/fah29/internal/spool"
)

func main() {
	sock := flag.String("socket", "/run/fahspool.sock", "unix socket to listen on")
	dir := flag.String("dir", "spool", "spool directory")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	sp := spool.New(*dir, logger)
	sp.Start()

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		logger.Error("listen", "err", err)
		os.Exit(1)
	}
	defer ln.Close() // HAZ signal-skips-defer
	logger.Info("listening", "socket", *sock)
	for {
		conn, err := ln.Accept()
		if err != nil {
			logger.Warn("accept", "err", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go serve(conn, sp, logger)
	}
}

// serve reads "PATH NAME" lines from conn and queues them.
func serve(conn net.Conn, sp *spool.Spooler, logger *slog.Logger) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		path, name, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			_, _ = conn.Write([]byte("ERR want PATH NAME\n"))
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := sp.Submit(ctx, spool.Job{Path: path, Name: name})
		cancel()
		if err != nil {
			logger.Warn("submit", "path", path, "err", err)
			_, _ = conn.Write([]byte("ERR busy\n"))
			continue
		}
		_, _ = conn.Write([]byte("OK\n"))
	}
}
