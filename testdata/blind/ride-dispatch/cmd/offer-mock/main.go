// Command offer-mock impersonates a fleet of driver apps for matcher load
// tests: it answers every OFFER line on a unix socket with an ACK after a
// random "thinking" delay.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"time"
)

type mock struct {
	accept   float64
	minThink time.Duration
	maxThink time.Duration
}

func (m *mock) think() time.Duration {
	span := m.maxThink - m.minThink
	if span <= 0 {
		return m.minThink
	}
	return m.minThink + rand.N(span)
}

func (m *mock) serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("accept: %v", err)
			return
		}
		go m.handle(conn)
	}
}

func (m *mock) handle(conn net.Conn) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "OFFER" {
			continue
		}
		verdict := "reject"
		if rand.Float64() < m.accept {
			verdict = "accept"
		}
		time.Sleep(m.think())
		if _, err := fmt.Fprintf(conn, "ACK %s %s\n", f[1], verdict); err != nil {
			return
		}
	}
}

func main() {
	sock := flag.String("sock", "/tmp/offer-mock.sock", "unix socket to listen on")
	rate := flag.Float64("accept", 0.7, "fraction of offers accepted")
	minThink := flag.Duration("min-think", 300*time.Millisecond, "fastest answer")
	maxThink := flag.Duration("max-think", 4*time.Second, "slowest answer")
	flag.Parse()

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(*sock)
	m := &mock{accept: *rate, minThink: *minThink, maxThink: *maxThink}
	go m.serve(ln)
	log.Printf("offer-mock on %s (accepting %.0f%%)", *sock, *rate*100)
	select {} // HAZ signal-skips-defer
}
