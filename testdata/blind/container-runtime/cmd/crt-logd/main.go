// crt-logd collects the output that shims stream to it over a unix socket
// and appends it to one file per container.
package main

import (
	"bufio"
	"errors"
	"flag"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

func main() {
	sock := flag.String("socket", "/run/crt/logd.sock", "socket the shims stream output to")
	dir := flag.String("dir", "/var/log/crt", "log directory")
	flag.Parse()
	log.SetPrefix("crt-logd: ")

	if err := os.MkdirAll(*dir, 0o750); err != nil {
		log.Fatal(err)
	}
	if err := os.Remove(*sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatal(err)
	}
	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(*sock)
	defer ln.Close()

	go acceptLoop(ln, newSinkSet(*dir))
	select {} // HAZ signal-skips-defer
}

// sinkSet keeps one append-only file per container open.
type sinkSet struct {
	dir   string
	mu    sync.Mutex
	files map[string]*os.File
}

func newSinkSet(dir string) *sinkSet {
	return &sinkSet{dir: dir, files: make(map[string]*os.File)}
}

// get returns the log file of container id, opening it on first use.
func (s *sinkSet) get(id string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.files[id]; ok {
		return f, nil
	}
	f, err := os.OpenFile(filepath.Join(s.dir, id+".log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, err
	}
	s.files[id] = f
	return f, nil
}

func acceptLoop(ln net.Listener, sinks *sinkSet) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go handle(conn, sinks)
	}
}

// handle reads the container id on the first line, then copies the rest
// of the stream into that container's file.
func handle(conn net.Conn, sinks *sinkSet) {
	defer conn.Close()
	defer recover() // HAZ recover-ineffective
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil {
		return
	}
	id := strings.TrimSpace(line)
	if id == "" || strings.ContainsAny(id, "/.") {
		log.Printf("rejecting stream for %q", id)
		return
	}
	f, err := sinks.get(id)
	if err != nil {
		log.Printf("open log of %s: %v", id, err)
		return
	}
	if _, err := io.Copy(f, br); err != nil {
		log.Printf("copy log of %s: %v", id, err)
	}
}
