// Command gossip-bench floods a node with user messages to measure how fast
// it absorbs them.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"example.com/gossip/wire"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7946", "gossip address of the node under test")
	count := flag.Int("n", 1000, "number of messages")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatalf("gossip-bench: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatalf("gossip-bench: %v", err)
		}
		defer pprof.StopCPUProfile()
	}

	conn, err := net.Dial("udp", *addr)
	if err != nil {
		log.Fatalf("gossip-bench: %v", err) // HAZ exit-skips-defer
	}
	defer conn.Close()

	elapsed, sent, err := blast(conn, *count)
	if err != nil {
		log.Printf("gossip-bench: stopped after %d messages: %v", sent, err)
		return
	}
	fmt.Printf("%d messages in %v (%.0f msg/s)\n", sent, elapsed, float64(sent)/elapsed.Seconds())
}

// blast sends n user messages as fast as the socket accepts them.
func blast(conn net.Conn, n int) (time.Duration, int, error) {
	start := time.Now()
	for i := 0; i < n; i++ {
		m := &wire.Message{
			Kind:    wire.KindUser,
			From:    "gossip-bench",
			Seq:     uint64(i + 1),
			Payload: []byte("bench/" + strconv.Itoa(i%64) + "=" + strconv.Itoa(i)),
		}
		b, err := m.MarshalBinary()
		if err != nil {
			return time.Since(start), i, err
		}
		if _, err := conn.Write(b); err != nil {
			return time.Since(start), i, err
		}
	}
	return time.Since(start), n, nil
}
