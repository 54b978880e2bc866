package exits

import (
	"log"
	"net"
)

// A connection and a channel only: reported with low confidence, as files are (the kernel
// closes the socket, and nobody sees the channel closed).
func connOnly(conn net.Conn, done chan struct{}) {
	defer conn.Close()
	defer close(done)
	if conn == nil {
		log.Fatal("no connection") // want `log.Fatal ends the process here in connOnly while the deferred conn.Close\(\) \(line \d+\) is pending, so it never runs; here that loses nothing yet \(the kernel closes the descriptor`
	}
}
