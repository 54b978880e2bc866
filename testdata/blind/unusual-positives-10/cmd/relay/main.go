// Command relay forwards TCP connections to an upstream mail server and
// holds the spool lock while it runs.
package main

import (
	"flag"
	"log"
	"net"
	"time"

	"example.com/up10/internal/relay"
)

func main() {
	listen := flag.String("listen", ":2525", "address to accept connections on")
	upstream := flag.String("upstream", "127.0.0.1:25", "upstream server")
	spool := flag.String("spool", "/var/spool/relay", "spool directory")
	flag.Parse()

	release, err := relay.LockSpool(*spool)
	if err != nil {
		log.Fatal(err)
	}
	defer release()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Print(err)
		return
	}
	srv := relay.NewServer(*upstream, 5*time.Second)
	log.Printf("relaying %s -> %s", ln.Addr(), *upstream)
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("relay: %v", err)
	}
}
