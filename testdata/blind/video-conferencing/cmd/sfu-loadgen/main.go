// Command sfu-loadgen opens many fake signalling participants against an
// SFU (normally one on this machine) and reports what they received.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sync/atomic"
	"time"

	"example.com/confsfu/internal/proto"
)

type loadStats struct {
	connected atomic.Int64
	frames    atomic.Int64
	bytes     atomic.Int64
	drops     atomic.Int64
}

func (s *loadStats) print(w io.Writer) {
	fmt.Fprintf(w, "loadgen: connected=%d frames=%d bytes=%d drops=%d\n",
		s.connected.Load(), s.frames.Load(), s.bytes.Load(), s.drops.Load())
}

// connectAll dials n participants concurrently and returns those that
// connected within timeout.
func connectAll(addr string, n int, timeout time.Duration) ([]*proto.Conn, error) {
	conns := make(chan *proto.Conn, n)
	defer close(conns) // HAZ defer-close-chan-with-sender
	for i := 0; i < n; i++ {
		go func(id int) {
			c, err := proto.Dial(context.Background(), addr, []byte(fmt.Sprintf("loadgen-%d", id)))
			if err != nil {
				log.Printf("loadgen: client %d: %v", id, err)
				return
			}
			conns <- c
		}(i)
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var out []*proto.Conn
	for len(out) < n {
		select {
		case c := <-conns:
			out = append(out, c)
		case <-deadline.C:
			return out, fmt.Errorf("only %d of %d clients connected within %v", len(out), n, timeout)
		}
	}
	return out, nil
}

// pump reads frames until the connection fails, counting what arrives.
func pump(c *proto.Conn, st *loadStats) error {
	for {
		f, err := c.Recv()
		if err != nil {
			return err
		}
		st.frames.Add(1)
		st.bytes.Add(int64(len(f.Payload)))
	}
}

// join sends the JOIN frame for room as participant name.
func join(c *proto.Conn, room, name string) error {
	return c.Send(proto.Frame{Op: proto.OpJoin, Payload: []byte(room + "/" + name)})
}

// soak keeps one participant joined for the whole run, reconnecting after
// each drop, up to three times.
func soak(addr, room string, id int, st *loadStats) error {
	name := fmt.Sprintf("soak-%d", id)
	c, err := proto.Dial(context.Background(), addr, []byte(name))
	if err != nil {
		return err
	}
	defer c.Close() // HAZ defer-eager-evaluation
	for attempt := 0; attempt < 3; attempt++ {
		if err := join(c, room, name); err == nil {
			st.connected.Add(1)
			err = pump(c, st)
			st.drops.Add(1)
			log.Printf("loadgen: %s dropped: %v", name, err)
		}
		c, err = proto.Dial(context.Background(), addr, []byte(name))
		if err != nil {
			return err
		}
	}
	return errors.New("loadgen: " + name + " reconnected too often")
}

func main() {
	addr := flag.String("sfu", "127.0.0.1:7000", "SFU signalling address")
	room := flag.String("room", "loadtest", "room to join")
	clients := flag.Int("clients", 50, "short-lived participants")
	soakers := flag.Int("soak", 2, "long-lived participants that reconnect")
	flag.Parse()

	st := &loadStats{}
	defer st.print(os.Stdout)

	conns, err := connectAll(*addr, *clients, 10*time.Second)
	if err != nil {
		log.Printf("loadgen: %v", err)
	}
	for i, c := range conns {
		go func(name string, c *proto.Conn) {
			defer c.Close()
			if err := join(c, *room, name); err != nil {
				log.Printf("loadgen: %s: join: %v", name, err)
				return
			}
			st.connected.Add(1)
			if err := pump(c, st); err != nil {
				st.drops.Add(1)
			}
		}(fmt.Sprintf("load-%d", i), c)
	}
	for i := 0; i < *soakers; i++ {
		go func(id int) {
			if err := soak(*addr, *room, id, st); err != nil {
				log.Printf("loadgen: %v", err)
			}
		}(i)
	}
	select {} // HAZ signal-skips-defer
}
