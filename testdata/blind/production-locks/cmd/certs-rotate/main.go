// Command certs-rotate asks the local agent to rotate the workload
// certificate over its unix socket.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"strings"
	"time"
)

func main() {
	sock := flag.String("socket", "/run/mesh/agent.sock", "agent socket")
	identity := flag.String("identity", "", "SPIFFE id to rotate")
	flag.Parse()
	if *identity == "" {
		log.Fatal("certs-rotate: -identity is required")
	}

	conn, err := net.DialTimeout("unix", *sock, 3*time.Second)
	if err != nil {
		log.Fatalf("certs-rotate: dial agent: %v", err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		log.Printf("certs-rotate: set deadline: %v", err)
	}

	if _, err := fmt.Fprintf(conn, "ROTATE %s\n", *identity); err != nil {
		log.Fatalf("certs-rotate: send: %v", err) // HAZ exit-skips-defer
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		log.Fatalf("certs-rotate: read reply: %v", err)
	}
	if !strings.HasPrefix(reply, "OK") {
		log.Fatalf("certs-rotate: agent refused: %s", strings.TrimSpace(reply))
	}
	fmt.Println("rotated", *identity)
}
