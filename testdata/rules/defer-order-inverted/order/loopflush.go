package order

import (
	"bufio"
	"net"
)

type outConn struct {
	nc   net.Conn
	out  chan []byte
	quit chan struct{}
}

// The loop flushes only when the outbox is momentarily empty: on quit the rest of the buffer is
// left to the deferred flush, which runs after the deferred close.
func (c *outConn) writeLoop() {
	bw := bufio.NewWriter(c.nc)
	defer bw.Flush()
	defer c.nc.Close() // want `the deferred c\.nc\.Close\(\) runs before the deferred bw\.Flush\(\) registered on line \d+`
	for {
		select {
		case <-c.quit:
			return
		case b := <-c.out:
			if _, err := bw.Write(b); err != nil {
				return
			}
			if len(c.out) == 0 {
				if err := bw.Flush(); err != nil {
					return
				}
			}
		}
	}
}

// A final checked flush before the return: the deferred flush is only a safety net.
func (c *outConn) writeAll(msgs [][]byte) error {
	bw := bufio.NewWriter(c.nc)
	defer bw.Flush()
	defer c.nc.Close()
	for _, m := range msgs {
		if _, err := bw.Write(m); err != nil {
			return err
		}
	}
	return bw.Flush()
}
