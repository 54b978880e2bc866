// Command lockd is a tiny named-lock service spoken over a unix socket:
// clients send "LOCK name" / "UNLOCK name" lines.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

type lockServer struct {
	mu    sync.Mutex
	owner map[string]net.Conn
}

func (s *lockServer) tryLock(name string, c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, held := s.owner[name]; held {
		return false
	}
	s.owner[name] = c
	return true
}

func (s *lockServer) unlock(name string, c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.owner[name] != c {
		return false
	}
	delete(s.owner, name)
	return true
}

func (s *lockServer) releaseAll(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, owner := range s.owner {
		if owner == c {
			delete(s.owner, name)
		}
	}
}

func (s *lockServer) handle(c net.Conn) {
	defer c.Close()
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		verb, name, _ := strings.Cut(sc.Text(), " ")
		ok := false
		switch verb {
		case "LOCK":
			ok = s.tryLock(name, c)
		case "UNLOCK":
			ok = s.unlock(name, c)
		}
		if ok {
			fmt.Fprintln(c, "OK")
		} else {
			fmt.Fprintln(c, "BUSY")
		}
	}
	s.releaseAll(c)
}

func main() {
	sockPath := flag.String("socket", "/run/lockd.sock", "unix socket path")
	flag.Parse()

	ln, err := net.Listen("unix", *sockPath)
	if err != nil {
		log.Fatalf("lockd: %v", err)
	}
	defer ln.Close() // unlinks the socket file; a stale one makes the next start fail

	srv := &lockServer{owner: make(map[string]net.Conn)}
	log.Printf("lockd: serving on %s", *sockPath)
	for { // HAZ signal-skips-defer
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("lockd: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go srv.handle(conn)
	}
}
