package fixture

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

type snapshotAdmin struct {
	peers []string
	take  func() (uint64, error)
}

// pokePeers tells every peer over a fresh connection; the write has no deadline.
func (a *snapshotAdmin) pokePeers() {
	for _, p := range a.peers {
		conn, err := net.DialTimeout("tcp", p, time.Second)
		if err != nil {
			log.Printf("poke %s: %v", p, err)
			continue
		}
		if _, err := io.WriteString(conn, "SNAPSHOT-READY\n"); err != nil {
			log.Printf("poke %s: %v", p, err)
		}
		conn.Close()
	}
}

// pokePeersBounded sets a write deadline first: the write fails with a timeout instead.
func (a *snapshotAdmin) pokePeersBounded() {
	for _, p := range a.peers {
		conn, err := net.DialTimeout("tcp", p, time.Second)
		if err != nil {
			continue
		}
		_ = conn.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
		fmt.Fprintf(conn, "SNAPSHOT-READY %d\n", len(a.peers))
		conn.Close()
	}
}

// The response waits until every peer has taken the notice.
func (a *snapshotAdmin) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	defer a.pokePeers() // want `io\.WriteString\(conn, "SNAPSHOT-READY\\n"\).*waits for the peer to accept the data`
	idx, err := a.take()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "%d\n", idx)
}

// With the deadline the wait is bounded. No finding.
func (a *snapshotAdmin) handleSnapshotBounded(w http.ResponseWriter, r *http.Request) {
	defer a.pokePeersBounded()
	idx, err := a.take()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "%d\n", idx)
}

// A goodbye line printed to the peer at exit, unbounded.
func serveLines(conn net.Conn, handle func(net.Conn) error) error {
	defer conn.Close()
	defer fmt.Fprintln(conn, "BYE") // want `fmt\.Fprintln\(conn, "BYE"\).*waits for the peer to accept the data`
	return handle(conn)
}
