// Command lease-follower is a minimal standby: it accepts APPLY lines from
// the leader and appends them to a local write-ahead log.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"sync/atomic"

	"example.com/leaselock/internal/wal"
)

type follower struct {
	log     *wal.Log
	applied atomic.Uint64
	onStop  func()
}

// openLog opens the follower's log and checks it for gaps.
func openLog(dir string) (*wal.Log, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("lease-follower: open log in %s: %w", dir, err)
		}
	}()
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	l, err := wal.Open(dir, wal.Options{})
	if err != nil {
		return nil, err
	}
	if err = wal.CheckContinuity(dir); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// apply parses one APPLY line and appends the record.
func (f *follower) apply(line string) error {
	var rec wal.Record
	var typ uint8
	n, err := fmt.Sscanf(line, "APPLY %d %d %d %d %s", &rec.Index, &typ, &rec.Lease, &rec.TTLMillis, &rec.Key)
	if err != nil && n < 4 {
		return fmt.Errorf("bad APPLY line: %v", err)
	}
	rec.Type = wal.RecordType(typ)
	if rec.Index <= f.applied.Load() {
		return nil // duplicate from a retried batch
	}
	if _, err := f.log.Append(rec); err != nil {
		return err
	}
	f.applied.Store(rec.Index)
	return nil
}

// handle serves one leader connection.
func (f *follower) handle(nc net.Conn) {
	defer nc.Close()
	sc := bufio.NewScanner(nc)
	for sc.Scan() {
		line := sc.Text()
		var reply string
		switch {
		case line == "PING":
			reply = "PONG"
		case line == "INDEX":
			reply = fmt.Sprintf("OK %d", f.applied.Load())
		case strings.HasPrefix(line, "APPLY "):
			reply = "OK"
			if err := f.apply(line); err != nil {
				reply = "ERR " + err.Error()
			}
		default:
			reply = "ERR unsupported"
		}
		if _, err := fmt.Fprintln(nc, reply); err != nil {
			return
		}
	}
}

// Serve accepts leader connections until the listener fails.
func (f *follower) Serve(ln net.Listener) error {
	defer f.onStop() // HAZ defer-nil-func
	for {
		nc, err := ln.Accept()
		if err != nil {
			return err
		}
		go f.handle(nc)
	}
}

func main() {
	addr := flag.String("addr", ":7430", "address the leader ships records to")
	dir := flag.String("wal", "./follower/wal", "write-ahead log directory")
	flag.Parse()

	l, err := openLog(*dir)
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("lease-follower: %v", err)
		return
	}
	f := &follower{log: l}
	f.applied.Store(l.LastIndex())
	log.Printf("lease-follower: listening on %s at index %d", ln.Addr(), l.LastIndex())
	if err := f.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("lease-follower: %v", err)
	}
}
