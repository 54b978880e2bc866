package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"time"

	"example.com/fah27/internal/pool"
)

// job is one client command waiting for a backend.
type job struct {
	cmd   string
	reply chan<- result // buffered (1) by the client side
}

type result struct {
	line string
	err  error
}

// proxy forwards client commands to the backend on dedicated sessions.
type proxy struct {
	backend string
	dial    pool.DialFunc
	timeout time.Duration
}

func newProxy(backend string, timeout time.Duration) *proxy {
	return &proxy{backend: backend, timeout: timeout}
}

// accept hands every client connection to serveClient until ln is closed.
func (px *proxy) accept(ln net.Listener, jobs chan<- job) {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("dbproxy: accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		go px.serveClient(c, jobs)
	}
}

// serveClient reads one command per line and writes one reply per line.
func (px *proxy) serveClient(c net.Conn, jobs chan<- job) {
	defer c.Close()
	sc := bufio.NewScanner(c)
	w := bufio.NewWriter(c)
	for sc.Scan() {
		reply := make(chan result, 1)
		jobs <- job{cmd: sc.Text(), reply: reply}
		r := <-reply
		if r.err != nil {
			fmt.Fprintf(w, "-ERR %v\r\n", r.err)
		} else {
			fmt.Fprintf(w, "+%s\r\n", r.line)
		}
		if err := w.Flush(); err != nil {
			log.Printf("dbproxy: client %s: %v", c.RemoteAddr(), err)
			return
		}
	}
}

// worker runs jobs, each on a fresh backend session so that session state
// never leaks between clients.
func (px *proxy) worker(jobs <-chan job) {
	for j := range jobs {
		ctx, cancel := context.WithTimeout(context.Background(), px.timeout)
		bc, err := pool.Dial(ctx, px.dial, px.backend)
		if err != nil {
			cancel()
			j.reply <- result{err: err}
			continue
		}
		defer bc.Close() // HAZ defer-in-loop defer-in-infinite-loop
		line, err := bc.Exec(ctx, j.cmd)
		cancel()
		j.reply <- result{line: line, err: err}
	}
}
