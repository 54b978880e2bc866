// Command gossip-relay forwards gossip datagrams from one network to a node
// on another, e.g. across a NAT.
package main

import (
	"flag"
	"log"
	"net"
	"os"
	"strconv"

	"example.com/gossip/wire"
)

func main() {
	listen := flag.String("listen", ":7950", "address to receive datagrams on")
	upstream := flag.String("upstream", "127.0.0.1:7946", "node to forward to")
	pidfile := flag.String("pidfile", "gossip-relay.pid", "file to record our pid in")
	flag.Parse()

	if err := os.WriteFile(*pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("gossip-relay: %v", err)
	}
	defer os.Remove(*pidfile)

	in, err := net.ListenPacket("udp", *listen)
	if err != nil {
		log.Printf("gossip-relay: %v", err)
		return
	}
	defer in.Close()
	out, err := net.Dial("udp", *upstream)
	if err != nil {
		log.Printf("gossip-relay: %v", err)
		return
	}
	defer out.Close()

	log.Printf("gossip-relay: %s -> %s", in.LocalAddr(), *upstream)
	buf := make([]byte, 65536)
	for { // HAZ signal-skips-defer
		n, from, err := in.ReadFrom(buf)
		if err != nil {
			log.Printf("gossip-relay: read: %v", err)
			continue
		}
		if err := forward(out, buf[:n]); err != nil {
			log.Printf("gossip-relay: from %v: %v", from, err)
		}
	}
}

// forward passes on well-formed gossip datagrams and drops the rest.
func forward(out net.Conn, b []byte) error {
	var m wire.Message
	if err := m.UnmarshalBinary(b); err != nil {
		return err
	}
	_, err := out.Write(b)
	return err
}
