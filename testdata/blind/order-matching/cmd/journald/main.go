// Command journald is the stand-alone journal service used by the test
// exchange: clients send one record per line and get the sequence back.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"example.com/matching/internal/journal"
)

func main() {
	addr := flag.String("listen", ":9200", "listen address")
	dir := flag.String("dir", "/var/lib/journald", "journal directory")
	flag.Parse()

	verifyOrDie(*dir)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("journald: %v", err)
	}
	w, err := journal.Open(*dir, journal.Options{SegmentSize: 16 << 20})
	if err != nil {
		log.Fatalf("journald: %v", err)
	}
	defer w.Close()

	go acceptLoop(ln, w)
	go reportLoop(w, time.Minute)
	log.Printf("journald: listening on %s", ln.Addr())
	select {} // HAZ signal-skips-defer
}

// lockDir creates dir/LOCK so that two processes never work on the same
// journal, and returns the func that removes it.
func lockDir(dir string) (func(), error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("journal %s is locked by another process: %w", dir, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return func() { _ = os.Remove(path) }, nil
}

// verifyOrDie checks every segment checksum before the journal is opened
// for writing, holding the directory lock while it reads.
func verifyOrDie(dir string) {
	release, err := lockDir(dir)
	if err != nil {
		log.Fatalf("journald: %v", err)
	}
	defer release()
	rep, err := journal.Verify(dir)
	if err == nil && len(rep.Corrupt) > 0 {
		err = fmt.Errorf("%d corrupt segment(s), first: %s", len(rep.Corrupt), rep.Corrupt[0])
	}
	if err != nil {
		log.Fatalf("journald: verify %s: %v", dir, err) // HAZ exit-skips-defer
	}
	log.Printf("journald: verified %d segments, %d records", rep.Segments, rep.Records)
}

// acceptLoop serves clients until the listener fails.
func acceptLoop(ln net.Listener, w *journal.Writer) {
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Printf("journald: accept: %v", err)
			return
		}
		go ingest(c, w)
	}
}

// ingest appends each line the client sends and answers with its sequence.
func ingest(c net.Conn, w *journal.Writer) {
	defer c.Close()
	defer log.Printf("journald: %s disconnected", c.RemoteAddr())
	sc := bufio.NewScanner(c)
	bw := bufio.NewWriter(c)
	for sc.Scan() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		seq, err := w.Append(ctx, append([]byte(nil), sc.Bytes()...))
		cancel()
		if err != nil {
			fmt.Fprintf(bw, "ERR %v\n", err)
		} else {
			fmt.Fprintf(bw, "OK %d\n", seq)
		}
		if err := bw.Flush(); err != nil {
			log.Printf("journald: %s: %v", c.RemoteAddr(), err)
			return
		}
	}
}

// reportLoop logs the committed sequence periodically.
func reportLoop(w *journal.Writer, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		log.Printf("journald: committed through seq %d", w.Seq())
	}
}
