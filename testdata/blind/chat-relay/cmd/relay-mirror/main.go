// Command relay-mirror follows one room of a relay and serves its recent
// transcript over HTTP on a unix socket, for the status page.
package main

import (
	"bufio"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/chatrelay/internal/protocol"
)

func main() {
	relay := flag.String("relay", "127.0.0.1:6667", "relay address")
	roomName := flag.String("room", "#general", "room to mirror")
	nick := flag.String("nick", "mirror", "nick to use")
	sock := flag.String("socket", "/run/chat-relay/mirror.sock", "unix socket to serve on")
	keep := flag.Int("keep", 500, "lines to keep")
	flag.Parse()
	if !protocol.ValidRoom(*roomName) {
		log.Fatalf("relay-mirror: bad room %q", *roomName)
	}

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatalf("relay-mirror: %v", err)
	}
	defer ln.Close() // also unlinks the socket file

	t := &transcript{max: *keep}
	go follow(*relay, *nick, *roomName, t)
	srv := &http.Server{Handler: t, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("relay-mirror: serving %s on %s", *roomName, *sock)
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("relay-mirror: %v", err)
	}
}

// transcript is a bounded list of recent lines.
type transcript struct {
	mu    sync.Mutex
	lines []string
	max   int
}

func (t *transcript) Append(line string) {
	t.mu.Lock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
	t.mu.Unlock()
}

func (t *transcript) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t.mu.Lock()
	lines := append([]string(nil), t.lines...)
	t.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, l := range lines {
		if _, err := io.WriteString(w, l+"\n"); err != nil {
			return
		}
	}
}

// follow keeps a connection to the relay, reconnecting after failures.
func follow(addr, nick, room string, t *transcript) {
	for {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			log.Printf("relay-mirror: %v", err)
			time.Sleep(5 * time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := followConn(conn, nick, room, t); err != nil {
			log.Printf("relay-mirror: %v", err)
		}
		time.Sleep(5 * time.Second)
	}
}

// followConn joins room and records its messages until the connection ends.
func followConn(conn net.Conn, nick, room string, t *transcript) error {
	for _, cmd := range []string{"NICK " + nick, "JOIN " + room} {
		if err := protocol.WriteLine(conn, cmd); err != nil {
			return err
		}
	}
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "MSG "+room+" ") {
			t.Append(line)
		}
	}
	return sc.Err()
}
