package fixture

import (
	"log"
	"net"
	"sync"
)

// withRecover runs f, logging a panic instead of crashing.
func withRecover(f func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Print(r)
		}
	}()
	f()
}

type broker struct {
	mu   sync.Mutex
	conn net.Conn
}

// The literal runs in the goroutine the go statement starts through the wrapper: its deferred
// greeting only keeps that goroutine alive, nobody waits for it (medium).
func (b *broker) open(addr string) {
	b.mu.Lock()
	go withRecover(func() {
		defer func() { // want `deferred func\(\) \{\.\.\.\}\(\) → b\.conn\.Write\(\[\]byte\("hello"\)\) \(line \d+\) waits for the peer to accept data, so the goroutine running the function literal on line \d+ cannot end until then`
			b.mu.Unlock()
			if b.conn != nil {
				_, _ = b.conn.Write([]byte("hello")) // a write on a net.Conn, after the unlock
			}
		}()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		b.conn = c
	})
}
