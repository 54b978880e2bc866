package bridge

import (
	"bufio"
	"log"
	"net"
	"sync"
)

// Link is one outbound connection to a peer relay with its send queue.
type Link struct {
	addr string
	conn net.Conn
	out  chan string
	once sync.Once
}

// Send queues line without blocking.
func (l *Link) Send(line string) bool {
	select {
	case l.out <- line:
		return true
	default:
		return false
	}
}

// Close closes the connection; pump then returns.
func (l *Link) Close() {
	l.once.Do(func() { l.conn.Close() })
}

// pump writes queued lines to the peer until a write fails.
func (l *Link) pump() {
	defer func() {
		l.once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				log.Printf("bridge: link %s: panic: %v", l.addr, r)
			}
			l.conn.Close()
		})
	}()
	w := bufio.NewWriter(l.conn)
	for line := range l.out {
		if _, err := w.WriteString(line + "\n"); err != nil {
			return
		}
		if len(l.out) > 0 {
			continue
		}
		if err := w.Flush(); err != nil {
			log.Printf("bridge: link %s: %v", l.addr, err)
			return
		}
	}
}
