// Command spectator-relay serves a recorded match to spectators over TCP,
// one gob stream per connection, and logs who watched.
package main

import (
	"bufio"
	"encoding/gob"
	"flag"
	"log"
	"net"
	"time"

	"example.com/matchmaker/internal/lobby"
	"example.com/matchmaker/internal/replay"
)

// serveSpectator streams every frame to one spectator. The buffered writer
// is flushed and checked explicitly; only the plain Close is deferred.
func serveSpectator(conn net.Conn, r *replay.Replay, watchers *lobby.FileAuditor) {
	defer conn.Close()
	id := r.Header.LobbyID
	watchers.Record("spectate.start "+conn.RemoteAddr().String(), id, nil)
	if err := conn.SetWriteDeadline(time.Now().Add(5 * time.Minute)); err != nil {
		watchers.Record("spectate.error", id, err)
		return
	}
	bw := bufio.NewWriter(conn)
	enc := gob.NewEncoder(bw)
	if err := enc.Encode(r.Header); err != nil {
		watchers.Record("spectate.error", id, err)
		return
	}
	for _, f := range r.Frames {
		if err := enc.Encode(f); err != nil {
			watchers.Record("spectate.error", id, err)
			return
		}
	}
	if err := bw.Flush(); err != nil {
		watchers.Record("spectate.error", id, err)
		return
	}
	watchers.Record("spectate.done", id, nil)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7800", "TCP listen address")
	file := flag.String("replay", "", "replay file to serve")
	logPath := flag.String("watchers", "watchers.log", "spectator log")
	flag.Parse()

	r, err := replay.Load(*file)
	if err != nil {
		log.Fatalf("spectator-relay: %v", err)
	}
	watchers, err := lobby.OpenFileAuditor(*logPath)
	if err != nil {
		log.Fatalf("spectator-relay: %v", err)
	}
	defer watchers.Close() // HAZ signal-skips-defer

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("spectator-relay: %v", err)
		return
	}
	log.Printf("spectator-relay: serving %s on %s", r.Header.LobbyID, ln.Addr())
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("spectator-relay: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go serveSpectator(conn, r, watchers)
	}
}
