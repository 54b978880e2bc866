// Command agent is the node-local helper: it accepts keys on a unix socket,
// spools them, and reconciles them with a small worker pool.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/fah31/internal/workqueue"
)

// fatalf logs and exits; it never returns.
func fatalf(format string, args ...any) {
	log.Printf("agent: "+format, args...)
	os.Exit(1)
}

// openSpool exits before it has deferred anything.
func openSpool(dir string) *os.File {
	f, err := os.OpenFile(filepath.Join(dir, "spool"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		fatalf("open spool: %v", err)
	}
	return f
}

// lockSpool creates the replay lock file and returns its path.
func lockSpool(dir string) (string, error) {
	p := filepath.Join(dir, "replay.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("another replay holds %s", p)
	}
	if err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return p, nil
}

// replaySpool re-queues spooled keys after a restart under the replay lock.
func replaySpool(dir string, q *workqueue.Queue) int {
	lockPath, err := lockSpool(dir)
	if err != nil {
		fatalf("replay: %v", err)
	}
	defer os.Remove(lockPath)
	f, err := os.Open(filepath.Join(dir, "spool"))
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		fatalf("replay: %v", err) // HAZ exit-skips-defer
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		q.Add(sc.Text())
		n++
	}
	if err := sc.Err(); err != nil {
		log.Printf("agent: replay stopped early: %v", err)
	}
	return n
}

// serveSocket accepts clients forever.
func serveSocket(ln net.Listener, spool *os.File, q *workqueue.Queue) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("agent: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		go handleConn(conn, spool, q)
	}
}

// serveConns is the fixed loop: handleConn owns and closes each conn, and
// the loop ends when the listener is closed.
func serveConns(ln net.Listener, spool *os.File, q *workqueue.Queue) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			log.Printf("agent: accept: %v", err)
			continue
		}
		go func() {
			defer conn.Close()
			handleConn(conn, spool, q)
		}()
	}
}

func handleConn(conn net.Conn, spool *os.File, q *workqueue.Queue) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		key := strings.TrimSpace(sc.Text())
		if key == "" {
			continue
		}
		if _, err := fmt.Fprintln(spool, key); err != nil {
			fmt.Fprintf(conn, "error %v\n", err)
			return
		}
		q.Add(key)
		fmt.Fprintln(conn, "ok")
	}
}

// handleConnPolite is handleConn that says goodbye when the client is done.
func handleConnPolite(conn net.Conn, spool *os.File, q *workqueue.Queue) {
	defer conn.Write([]byte("bye\n")) // HAZ defer-blocking-call
	handleConn(conn, spool, q)
}

func runWorkers(q *workqueue.Queue, n int) {
	for i := 0; i < n; i++ {
		go func() {
			for {
				key, shutdown := q.Get()
				if shutdown {
					return
				}
				log.Printf("agent: worker %d: %s", i, key)
				q.Done(key)
			}
		}()
	}
}

func main() {
	spoolDir := flag.String("spool", "/var/lib/agent", "spool directory")
	sock := flag.String("socket", "/run/agent.sock", "unix socket")
	workers := flag.Int("workers", 2, "workers")
	flag.Parse()

	// Everything that can exit runs before the first defer.
	spool := openSpool(*spoolDir) // written line by line, unbuffered
	q := workqueue.New(workqueue.DefaultLimiter())
	log.Printf("agent: replayed %d keys", replaySpool(*spoolDir, q))
	ln, err := net.Listen("unix", *sock)
	if err != nil {
		fatalf("listen: %v", err)
	}
	defer os.Remove(*sock)

	runWorkers(q, *workers)
	go serveConns(ln, spool, q)
	select {} // HAZ signal-skips-defer
}
