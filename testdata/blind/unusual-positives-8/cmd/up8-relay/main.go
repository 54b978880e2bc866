// Command up8-relay exposes up8d on a local unix socket for build sandboxes.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"

	"example.com/up8/internal/relay"
)

func main() {
	sock := flag.String("socket", "/run/up8-relay.sock", "unix socket to listen on")
	target := flag.String("target", "127.0.0.1:8080", "up8d address")
	flag.Parse()

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatalf("up8-relay: %v", err)
	}
	defer os.Remove(*sock)

	r := relay.New(*target, log.Default())
	log.Printf("up8-relay: %s -> %s", *sock, *target)
	log.Fatal(r.Serve(context.Background(), ln)) // HAZ exit-skips-defer signal-skips-defer
}
