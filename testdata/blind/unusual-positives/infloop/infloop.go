// Package infloop has long-running service loops, some of which defer inside
// a loop that never ends.
package infloop

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// AcceptLoop only ever continues; every accepted connection adds a defer that
// can never run.
func AcceptLoop(ln net.Listener, handle func(net.Conn)) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("accept: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		go handle(conn)
	}
}

// ConsumeSpool uses break inside select, which leaves only the select, so the
// surrounding for never ends.
func ConsumeSpool(ctx context.Context, files <-chan string, process func(io.Reader) error) {
	for {
		select {
		case <-ctx.Done():
			log.Printf("spool consumer stopping")
			break
		case name := <-files:
			f, err := os.Open(name)
			if err != nil {
				log.Printf("spool %s: %v", name, err)
				break
			}
			defer f.Close() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
			if err := process(f); err != nil {
				log.Printf("process %s: %v", name, err)
			}
		}
	}
}

// PollStatus is written as `for true`.
func PollStatus(c *http.Client, url string, every time.Duration, report func(int)) {
	for true {
		resp, err := c.Get(url)
		if err != nil {
			time.Sleep(every)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		report(resp.StatusCode)
		time.Sleep(every)
	}
}

// ArchiveWorker ranges over a work channel that the service never closes and
// has no way out of the loop.
func ArchiveWorker(paths <-chan string, sink func(string, []byte)) {
	for p := range paths {
		f, err := os.Open(p)
		if err != nil {
			log.Printf("archive %s: %v", p, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		data, err := io.ReadAll(f)
		if err != nil {
			continue
		}
		sink(p, data)
	}
}

// StartArchiver runs ArchiveWorker for the lifetime of the process.
func StartArchiver(sink func(string, []byte)) chan<- string {
	paths := make(chan string, 64)
	go ArchiveWorker(paths, sink)
	return paths
}

// ServeRequests means to stop at EOF, but the break only leaves the switch.
func ServeRequests(r *bufio.Reader, open func(string) (io.ReadCloser, error), w io.Writer) {
	for {
		line, err := r.ReadString('\n')
		switch {
		case errors.Is(err, io.EOF):
			break
		case err != nil:
			log.Printf("read request: %v", err)
			continue
		}
		rc, err := open(strings.TrimSpace(line))
		if err != nil {
			continue
		}
		defer rc.Close() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		if _, err := io.Copy(w, rc); err != nil {
			log.Printf("serve %q: %v", line, err)
		}
	}
}

// WatchConfig's returns are inside a function literal; they do not leave the
// loop.
func WatchConfig(path string, reload func([]byte) error) {
	for {
		f, err := os.Open(path)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		err = func() error {
			data, err := io.ReadAll(f)
			if err != nil {
				return err
			}
			return reload(data)
		}()
		if err != nil {
			log.Printf("reload %s: %v", path, err)
		}
		time.Sleep(5 * time.Second)
	}
}

// SyncForever's labelled break leaves only the inner peer loop.
func SyncForever(peers []string, pull func(string) (io.ReadCloser, error), consume func(io.Reader)) {
	for {
		var src io.ReadCloser
	pick:
		for _, p := range peers {
			rc, err := pull(p)
			if err != nil {
				continue
			}
			src = rc
			break pick
		}
		if src == nil {
			time.Sleep(time.Second)
			continue
		}
		defer src.Close() // HAZ defer-in-infinite-loop // HAZ defer-in-loop
		consume(src)
	}
}

// ---- negatives ----

// AcceptLoopScoped closes each connection inside the per-connection goroutine.
func AcceptLoopScoped(ln net.Listener, handle func(net.Conn) error) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("accept: %v", err)
			continue
		}
		go func() {
			defer conn.Close()
			if err := handle(conn); err != nil {
				log.Printf("handle %s: %v", conn.RemoteAddr(), err)
			}
		}()
	}
}

// TickMetrics defers before the endless loop, not inside it.
func TickMetrics(ctx context.Context, every time.Duration, emit func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			emit()
		}
	}
}

// DialAndGreet retries until a dial succeeds, then defers once after the loop.
func DialAndGreet(addr string, greeting string) (string, error) {
	backoff := 50 * time.Millisecond
	var conn net.Conn
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn = c
			break
		}
		if backoff > 2*time.Second {
			return "", err
		}
		time.Sleep(backoff)
		backoff *= 2
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, greeting+"\n"); err != nil {
		return "", err
	}
	return bufio.NewReader(conn).ReadString('\n')
}

// FetchFirstReachable defers inside `for {}` but returns right after, so at
// most one defer is ever registered and the loop is left.
func FetchFirstReachable(c *http.Client, mirrors []string) ([]byte, error) {
	i := 0
	for {
		if i == len(mirrors) {
			return nil, errors.New("no mirror reachable")
		}
		resp, err := c.Get(mirrors[i])
		i++
		if err != nil {
			continue
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
}

// DrainSpool handles each file in its own function literal and leaves the loop
// with a labelled break.
func DrainSpool(ctx context.Context, files <-chan string, process func(io.Reader) error) {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case name, ok := <-files:
			if !ok {
				break loop
			}
			func() {
				f, err := os.Open(name)
				if err != nil {
					log.Printf("spool %s: %v", name, err)
					return
				}
				defer f.Close()
				if err := process(f); err != nil {
					log.Printf("process %s: %v", name, err)
				}
			}()
		}
	}
	log.Printf("spool drained")
}

// ArchiveWorkerScoped closes each file before the next channel receive.
func ArchiveWorkerScoped(paths <-chan string, sink func(string, []byte)) {
	for p := range paths {
		data, err := func() ([]byte, error) {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return io.ReadAll(f)
		}()
		if err != nil {
			log.Printf("archive %s: %v", p, err)
			continue
		}
		sink(p, data)
	}
}
