// Command relay accepts "name value" metric lines from cluster replicas over
// TCP and appends them to a CSV file used for capacity reports.
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	addr := flag.String("addr", ":9125", "listen address")
	out := flag.String("out", "replica-metrics.csv", "CSV file to append to")
	sock := flag.String("control", "/run/metrics-relay.sock", "control socket, removed on exit")
	flag.Parse()

	s, err := openSink(*out)
	if err != nil {
		log.Fatalf("relay: %v", err)
	}
	ctl, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatalf("relay: control socket: %v", err)
	}
	defer os.Remove(*sock) // HAZ signal-skips-defer
	go serveControl(ctl, s)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("relay: %v", err)
		if err := s.Close(); err != nil {
			log.Printf("relay: %v", err)
		}
		return
	}
	log.Printf("relay: listening on %s", ln.Addr())
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("relay: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go handle(conn, s)
	}
}

// serveControl answers "flush" requests on the control socket, so that
// report jobs can read a complete file.
func serveControl(ln net.Listener, s *sink) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			sc := bufio.NewScanner(conn)
			for sc.Scan() {
				reply := "ok\n"
				if sc.Text() != "flush" {
					reply = "unknown command\n"
				} else if err := s.Flush(); err != nil {
					reply = "error: " + err.Error() + "\n"
				}
				if _, err := conn.Write([]byte(reply)); err != nil {
					return
				}
			}
		}()
	}
}

// sink appends records to a CSV file, flushing every flushEvery records.
type sink struct {
	mu      sync.Mutex
	f       *os.File
	cw      *csv.Writer
	pending int
}

const flushEvery = 100

func openSink(path string) (*sink, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &sink{f: f, cw: csv.NewWriter(f)}, nil
}

// Write appends one record.
func (s *sink) Write(record []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.cw.Write(record); err != nil {
		return err
	}
	s.pending++
	if s.pending < flushEvery {
		return nil
	}
	s.pending = 0
	s.cw.Flush()
	return s.cw.Error()
}

// Flush writes the buffered records to the file.
func (s *sink) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = 0
	s.cw.Flush()
	return s.cw.Error()
}

// Close flushes the buffered records and closes the file.
func (s *sink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cw.Flush()
	return errors.Join(s.cw.Error(), s.f.Close())
}

// handle reads metric lines from one replica until it disconnects.
func handle(conn net.Conn, s *sink) {
	defer conn.Close()
	remote := conn.RemoteAddr().String()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		name, value, ok := safeParse(sc.Text())
		if !ok {
			continue
		}
		rec := []string{time.Now().UTC().Format(time.RFC3339), remote, name, strconv.FormatFloat(value, 'g', -1, 64)}
		if err := s.Write(rec); err != nil {
			log.Printf("relay: %v", err)
			return
		}
	}
	if err := sc.Err(); err != nil {
		log.Printf("relay: %s: %v", remote, err)
	}
}

// parseLine parses "name value" or "name{labels} value".
func parseLine(line string) (string, float64, error) {
	fields := strings.Fields(line)
	if len(fields) != 2 {
		return "", 0, fmt.Errorf("want 2 fields, got %d", len(fields))
	}
	v, err := strconv.ParseFloat(fields[1], 64)
	if err != nil {
		return "", 0, err
	}
	name := fields[0]
	if i := strings.IndexByte(name, '{'); i >= 0 && name[len(name)-1] != '}' {
		return "", 0, fmt.Errorf("unterminated labels in %q", name)
	}
	return name, v, nil
}

// safeParse parses a line sent by a replica; a line that trips the parser
// is dropped.
func safeParse(line string) (name string, value float64, ok bool) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	name, value, err := parseLine(line)
	return name, value, err == nil
}
