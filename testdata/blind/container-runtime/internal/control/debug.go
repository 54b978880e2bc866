package control

import (
	"bufio"
	"context"
	"io"
	"log"
	"net"
	"os"
	"time"
)

// ServeDebug serves a plain-text dump of the daemon's state on ln, a
// second root-only socket polled by the node's diagnostics tooling.
func ServeDebug(ln net.Listener, dump func(io.Writer) error, l *log.Logger) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			l.Printf("debug: accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		if err := dump(conn); err != nil {
			l.Printf("debug: dump: %v", err)
		}
	}
}

type tailRequest struct {
	path  string
	lines int
	reply chan tailReply
}

type tailReply struct {
	lines []string
	err   error
}

// Tailer serialises "logs --tail" requests through a single worker so that
// a burst of them does not open hundreds of log files at once.
type Tailer struct {
	reqs chan tailRequest
}

// NewTailer starts the tail worker, which lives as long as the daemon.
func NewTailer() *Tailer {
	t := &Tailer{reqs: make(chan tailRequest)}
	go tailWorker(t.reqs)
	return t
}

func tailWorker(reqs <-chan tailRequest) {
	for req := range reqs {
		f, err := os.Open(req.path)
		if err != nil {
			req.reply <- tailReply{err: err}
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		lines, err := lastLines(f, req.lines)
		req.reply <- tailReply{lines: lines, err: err}
	}
}

// Tail returns the last n lines of the file at path. The reply channel has
// room for the worker's single answer, so a caller that gives up on ctx
// never blocks the worker.
func (t *Tailer) Tail(ctx context.Context, path string, n int) ([]string, error) {
	req := tailRequest{path: path, lines: n, reply: make(chan tailReply, 1)}
	select {
	case t.reqs <- req:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case rep := <-req.reply:
		return rep.lines, rep.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func lastLines(r io.Reader, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	ring := make([]string, 0, n)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if len(ring) == n {
			ring = ring[1:]
		}
		ring = append(ring, sc.Text())
	}
	return ring, sc.Err()
}
