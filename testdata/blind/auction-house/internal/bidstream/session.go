package bidstream

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"example.com/auction/internal/notify"
)

const writeTimeout = 5 * time.Second

// Backend is what a session needs from the engine.
type Backend interface {
	PlaceBid(ctx context.Context, bidder, lot string, amount int64) error
	Price(lot string) (int64, error)
	Subscribe(lot string) (*notify.Subscription, error)
	Unsubscribe(sub *notify.Subscription)
}

// Session is one connected bidder. Replies go through a bounded queue
// drained by the writer goroutine; notices are written directly.
type Session struct {
	id      string
	conn    net.Conn
	backend Backend
	out     chan string
	done    chan struct{}

	closeOnce sync.Once
	wmu       sync.Mutex // serialises writes to conn
	subs      map[string]*notify.Subscription
}

func newSession(id string, conn net.Conn, b Backend, queue int) *Session {
	return &Session{
		id:      id,
		conn:    conn,
		backend: b,
		out:     make(chan string, queue),
		done:    make(chan struct{}),
		subs:    make(map[string]*notify.Subscription),
	}
}

// Send queues a reply for the writer. It never blocks: a client that does
// not read its replies loses them.
func (s *Session) Send(line string) bool {
	select {
	case <-s.done:
		return false
	default:
	}
	select {
	case s.out <- line:
		return true
	default:
		return false
	}
}

// shutdown stops the writer. It is safe to call more than once.
func (s *Session) shutdown() {
	s.closeOnce.Do(func() { close(s.done) })
}

// Run serves the connection until the client quits, the connection breaks
// or ctx ends. The caller owns and closes the connection.
func (s *Session) Run(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("session %s: recovered from panic: %v", s.id, r)
		}
	}()
	defer s.shutdown()
	go s.writeLoop() // HAZ goroutine-outside-recover
	s.readLoop(ctx)
}

// writeLoop drains the reply queue until the session is shut down.
func (s *Session) writeLoop() {
	w := bufio.NewWriter(s.conn)
	for {
		select {
		case <-s.done:
			return
		case line := <-s.out:
			if err := s.writeLine(w, line); err != nil {
				log.Printf("session %s: write: %v", s.id, err)
				s.shutdown()
				return
			}
		}
	}
}

// writeLine writes one reply and flushes once the queue is empty.
func (s *Session) writeLine(w *bufio.Writer, line string) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.conn.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	if _, err := w.WriteString(line + "\n"); err != nil {
		return err
	}
	if len(s.out) > 0 {
		return nil
	}
	return w.Flush()
}

// readLoop parses commands until QUIT or EOF.
func (s *Session) readLoop(ctx context.Context) {
	sc := bufio.NewScanner(s.conn)
	for sc.Scan() {
		cmd, err := ParseCommand(sc.Text())
		if err != nil {
			s.Send("ERR " + err.Error())
			continue
		}
		if cmd.Verb == "QUIT" {
			s.Send("OK BYE")
			break
		}
		s.Send(s.execute(ctx, cmd))
	}
	s.dropSubscriptions()
}

// execute runs one command and returns the reply line.
func (s *Session) execute(ctx context.Context, cmd Command) string {
	switch cmd.Verb {
	case "BID":
		if err := s.backend.PlaceBid(ctx, s.id, cmd.Lot, cmd.Amount); err != nil {
			return "ERR " + err.Error()
		}
		return "OK BID " + cmd.Lot
	case "PRICE":
		p, err := s.backend.Price(cmd.Lot)
		if err != nil {
			return "ERR " + err.Error()
		}
		return "OK PRICE " + cmd.Lot + " " + FormatAmount(p)
	case "SUB":
		if _, dup := s.subs[cmd.Lot]; dup {
			return "OK SUB " + cmd.Lot
		}
		sub, err := s.backend.Subscribe(cmd.Lot)
		if err != nil {
			return "ERR " + err.Error()
		}
		s.subs[cmd.Lot] = sub
		go s.pumpNotifications(sub)
		return "OK SUB " + cmd.Lot
	case "UNSUB":
		if sub, ok := s.subs[cmd.Lot]; ok {
			delete(s.subs, cmd.Lot)
			s.backend.Unsubscribe(sub)
		}
		return "OK UNSUB " + cmd.Lot
	}
	return "ERR unsupported"
}

// dropSubscriptions ends every subscription of the session.
func (s *Session) dropSubscriptions() {
	for lot, sub := range s.subs {
		delete(s.subs, lot)
		s.backend.Unsubscribe(sub)
	}
}

// pumpNotifications forwards the notices of one subscription straight to
// the socket, bypassing the reply queue to keep outbid latency low.
func (s *Session) pumpNotifications(sub *notify.Subscription) {
	for n := range sub.C {
		s.wmu.Lock()
		defer s.wmu.Unlock() // HAZ defer-in-loop defer-in-infinite-loop
		_ = s.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := fmt.Fprintf(s.conn, "%s %s %s\n", strings.ToUpper(n.Kind), n.LotID, FormatAmount(n.Amount)); err != nil {
			log.Printf("session %s: notice: %v", s.id, err)
		}
	}
}
