// Command log-forwarder receives sandbox log lines over UDP from nodes
// without a local faasd and appends them to a JSON-lines file.
package main

import (
	"errors"
	"flag"
	"log"
	"net"
	"strings"
	"time"

	"example.com/faas/internal/logs"
)

// forward reads datagrams "sandbox<TAB>text" until pc is closed.
func forward(pc net.PacketConn, sink logs.Sink) {
	buf := make([]byte, 64<<10)
	for {
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("log-forwarder: %v", err)
			continue
		}
		sandbox, text, ok := strings.Cut(string(buf[:n]), "\t")
		if !ok {
			continue
		}
		sink.Write(logs.Line{Sandbox: sandbox, Stream: "udp", Text: strings.TrimRight(text, "\n"), Time: time.Now()})
	}
}

func main() {
	addr := flag.String("listen", "127.0.0.1:5140", "UDP address to receive on")
	out := flag.String("out", "/var/log/faas/sandboxes.jsonl", "output file")
	flag.Parse()

	pc, err := net.ListenPacket("udp", *addr)
	if err != nil {
		log.Fatalf("log-forwarder: %v", err)
	}
	sink := logs.NewFileSink(*out, 512)
	defer func() {
		if err := sink.Flush(); err != nil {
			log.Printf("log-forwarder: final flush: %v", err)
		}
	}()
	defer pc.Close()

	go forward(pc, sink)
	log.Printf("log-forwarder: listening on %s, writing %s", pc.LocalAddr(), *out)
	select {} // HAZ signal-skips-defer
}
