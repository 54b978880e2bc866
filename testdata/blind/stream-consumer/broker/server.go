package broker

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server exposes a Broker over a line-based TCP protocol:
//
//	PRODUCE <topic> <key> <value>   -> OK <partition> <offset>
//	FETCH <topic> <partition> <offset> <max>  -> one "MSG <offset> <key> <value>" line per message, then END
//	HWM <topic> <partition>          -> OK <offset>
type Server struct {
	b    *Broker
	log  *log.Logger
	idle time.Duration
	wg   sync.WaitGroup
}

// NewServer returns a server for b.
func NewServer(b *Broker, logger *log.Logger) *Server {
	return &Server{b: b, log: logger, idle: 2 * time.Minute}
}

// Serve accepts connections until the listener is closed.
func (s *Server) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.wg.Wait()
			return err
		}
		s.wg.Add(1)
		go s.handle(conn)
	}
}

// ServeGuarded is Serve for embedding in test harnesses: a panic in the
// accept loop is returned as an error instead of crashing the test binary.
func (s *Server) ServeGuarded(ln net.Listener) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("broker server panic: %v", p)
		}
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		s.wg.Add(1)
		go s.handle(conn) // HAZ goroutine-outside-recover
	}
}

// ServeV1 is the accept loop of the v1 protocol, which serves one client
// at a time.
func (s *Server) ServeV1(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.log.Printf("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := s.handleV1(conn); err != nil {
			s.log.Printf("v1 client %s: %v", conn.RemoteAddr(), err)
		}
	}
}

func (s *Server) handleV1(conn net.Conn) error {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if _, err := io.WriteString(conn, s.exec(sc.Text())+"\n"); err != nil {
			return err
		}
	}
	return sc.Err()
}

func (s *Server) handle(conn net.Conn) {
	defer s.wg.Done()
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	sc := bufio.NewScanner(conn)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(s.idle))
		if !sc.Scan() || strings.EqualFold(strings.TrimSpace(sc.Text()), "QUIT") {
			return
		}
		if _, err := bw.WriteString(s.exec(sc.Text()) + "\n"); err != nil {
			return
		}
		if err := bw.Flush(); err != nil {
			return
		}
	}
}

// exec runs one command line and returns the reply.
func (s *Server) exec(line string) string {
	f := strings.Fields(line)
	if len(f) == 0 {
		return "ERR empty command"
	}
	switch strings.ToUpper(f[0]) {
	case "PRODUCE":
		if len(f) != 4 {
			return "ERR usage: PRODUCE topic key value"
		}
		m, err := s.b.Produce(f[1], []byte(f[2]), []byte(f[3]))
		if err != nil {
			return "ERR " + err.Error()
		}
		return fmt.Sprintf("OK %d %d", m.Partition, m.Offset)
	case "FETCH":
		if len(f) != 5 {
			return "ERR usage: FETCH topic partition offset max"
		}
		p, err1 := strconv.Atoi(f[2])
		off, err2 := strconv.ParseInt(f[3], 10, 64)
		max, err3 := strconv.Atoi(f[4])
		if err1 != nil || err2 != nil || err3 != nil {
			return "ERR bad number"
		}
		msgs, err := s.b.Fetch(TopicPartition{Topic: f[1], Partition: p}, off, max)
		if err != nil {
			return "ERR " + err.Error()
		}
		var sb strings.Builder
		for _, m := range msgs {
			fmt.Fprintf(&sb, "MSG %d %s %s\n", m.Offset, m.Key, m.Value)
		}
		sb.WriteString("END")
		return sb.String()
	case "HWM":
		if len(f) != 3 {
			return "ERR usage: HWM topic partition"
		}
		p, err := strconv.Atoi(f[2])
		if err != nil {
			return "ERR bad partition"
		}
		end, err := s.b.HighWatermark(TopicPartition{Topic: f[1], Partition: p})
		if err != nil {
			return "ERR " + err.Error()
		}
		return fmt.Sprintf("OK %d", end)
	}
	return "ERR unknown command " + f[0]
}

// SendSnapshot streams every message of a topic to a follower broker.
func (s *Server) SendSnapshot(addr, topic string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(conn, 64<<10)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer conn.Close()
	return s.b.Dump(bw, topic)
}
