// Command hbecho answers heartbeat probes on a UDP port; it stands in for
// a matchmaker when testing clients and hbprobe.
package main

import (
	"flag"
	"log"
	"net"

	"example.com/matchmaker/internal/heartbeat"
	"example.com/matchmaker/internal/lobby"
)

// listen binds one UDP socket.
func listen(addr string) (*net.UDPConn, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}
	return net.ListenUDP("udp", ua)
}

func main() {
	addrs := flag.String("addr", "127.0.0.1:7777", "UDP address to echo on")
	logPath := flag.String("log", "hbecho.log", "log of echo sockets")
	flag.Parse()

	conn, err := listen(*addrs)
	if err != nil {
		log.Fatalf("hbecho: %v", err)
	}
	events, err := lobby.OpenFileAuditor(*logPath)
	if err != nil {
		log.Fatalf("hbecho: %v", err)
	}
	defer events.Close()
	events.Record("echo.start", conn.LocalAddr().String(), nil)

	go func() {
		err := heartbeat.Echo(conn)
		events.Record("echo.stop", conn.LocalAddr().String(), err)
	}()
	log.Printf("hbecho: echoing on %s", conn.LocalAddr())
	select {} // HAZ signal-skips-defer
}
