// Command tailer streams spool activity to operators connected over TCP.
package main

import (
	"flag"
	"log"
	"net"
	"os"
	"strconv"
	"time"

	"example.com/up17/internal/relay"
	"example.com/up17/internal/seq"
)

// watchSpool announces the number of spool files every interval, forever.
func watchSpool(r *relay.Relay, dir string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	last := -1
	for range t.C {
		n := 0
		for _, err := range seq.Files(dir, ".tsv") {
			if err != nil {
				log.Printf("tailer: %v", err)
				break
			}
			n++
		}
		if n != last {
			r.Broadcast(nil, "spool files: "+strconv.Itoa(n))
			last = n
		}
	}
}

func main() {
	addr := flag.String("addr", ":7070", "listen address")
	spool := flag.String("spool", "/var/spool/up17", "spool directory")
	flag.Parse()

	logger := log.New(os.Stderr, "tailer: ", log.LstdFlags)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen: %v", err)
	}
	r := relay.New(logger, 5*time.Minute)
	defer r.CloseAll()
	defer ln.Close()

	go func() {
		if err := r.ServeBounded(ln); err != nil {
			logger.Printf("serve: %v", err)
		}
	}()
	go watchSpool(r, *spool, 10*time.Second)
	logger.Printf("relaying on %s", ln.Addr())
	select {} // HAZ signal-skips-defer
}
