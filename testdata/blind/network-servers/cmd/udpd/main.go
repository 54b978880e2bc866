// Command udpd runs the UDP game server with an echo handler.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"strings"
	"time"

	"example.com/netsrv/udpsrv"
)

type echoHandler struct{}

func (echoHandler) HandlePacket(sess *udpsrv.Session, payload []byte) ([]byte, error) {
	return payload, nil
}

// tokenVerifier accepts tokens of the form "player-<n>".
type tokenVerifier struct{}

func (tokenVerifier) Verify(token []byte) (udpsrv.PlayerID, error) {
	s, ok := strings.CutPrefix(string(token), "player-")
	if !ok || s == "" {
		return 0, errors.New("bad token")
	}
	var id udpsrv.PlayerID
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, errors.New("bad token")
		}
		id = id*10 + udpsrv.PlayerID(r-'0')
	}
	return id, nil
}

func main() {
	addr := flag.String("addr", ":7777", "listen address")
	checkpoint := flag.String("checkpoint", "", "write sessions here on exit")
	timeout := flag.Duration("session-timeout", 30*time.Second, "idle session timeout")
	flag.Parse()

	pc, err := net.ListenPacket("udp", *addr)
	if err != nil {
		log.Fatalf("udpd: %v", err) // ok: nothing deferred yet
	}
	defer pc.Close()

	srv := udpsrv.New(pc, udpsrv.Config{SessionTimeout: *timeout}, echoHandler{}, tokenVerifier{})
	srv.OnEvent(udpsrv.EventExpire, func(s *udpsrv.Session) {
		log.Printf("udpd: player %d expired", s.ID)
	})
	if *checkpoint != "" {
		defer func() {
			if err := udpsrv.WriteCheckpoint(*checkpoint, srv.Sessions()); err != nil {
				log.Printf("udpd: checkpoint: %v", err)
			}
		}()
	}

	log.Printf("udpd: listening on %s", pc.LocalAddr())
	if err := srv.Serve(context.Background()); err != nil { // HAZ signal-skips-defer
		log.Printf("udpd: %v", err)
	}
}
