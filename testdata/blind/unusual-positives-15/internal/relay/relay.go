// Package relay replicates journal records to peer daemons over a simple
// line protocol on TCP, spooling them to disk while a peer is down.
package relay

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"
)

// Record is one replicated change.
type Record struct {
	Op  string
	Key string
}

// Relay accepts peer connections and hands each record to Handle.
type Relay struct {
	ln     net.Listener
	log    *log.Logger
	Handle func(conn net.Conn, rec Record) error
}

// New returns a relay on ln.
func New(ln net.Listener, lg *log.Logger, handle func(net.Conn, Record) error) *Relay {
	return &Relay{ln: ln, log: lg, Handle: handle}
}

// Accept serves peers for the life of the process.
func (r *Relay) Accept() {
	for true {
		conn, err := r.ln.Accept()
		if err != nil {
			r.log.Printf("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go r.serveConn(conn)
	}
}

// AcceptUntilClosed serves peers until the listener is closed; each
// connection is closed by its own goroutine.
func (r *Relay) AcceptUntilClosed() error {
	for {
		conn, err := r.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			r.log.Printf("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go func(conn net.Conn) {
			defer conn.Close()
			r.serveConn(conn)
		}(conn)
	}
}

// serveConn reads "op key" lines until the peer sends QUIT, and says BYE.
func (r *Relay) serveConn(conn net.Conn) {
	defer conn.Write([]byte("BYE\r\n")) // HAZ defer-blocking-call
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		line := sc.Text()
		if line == "QUIT" {
			return
		}
		op, key, ok := strings.Cut(line, " ")
		if !ok {
			fmt.Fprintf(conn, "ERR malformed\r\n")
			continue
		}
		if err := r.Handle(conn, Record{Op: op, Key: key}); err != nil {
			r.log.Printf("%s: %s %s: %v", conn.RemoteAddr(), op, key, err)
			return
		}
	}
}

// Spool writes recs to the spool file at path, to be pushed once the peer
// is reachable again.
func Spool(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, rec := range recs {
		if _, err := fmt.Fprintf(bw, "%s %s\n", rec.Op, rec.Key); err != nil {
			return err
		}
	}
	return nil
}

// SpoolAll is Spool with the file's close registered first, so the buffer
// is flushed into a file that is still open.
func SpoolAll(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	for _, rec := range recs {
		if _, err := fmt.Fprintf(bw, "%s %s\n", rec.Op, rec.Key); err != nil {
			return err
		}
	}
	return nil
}

// ReadSpool reads a spool file back.
func ReadSpool(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		op, key, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			return nil, fmt.Errorf("relay: %s: malformed line %q", path, sc.Text())
		}
		recs = append(recs, Record{Op: op, Key: key})
	}
	return recs, sc.Err()
}
