package eager

import "net"

func sendOne(c net.Conn, msg []byte) error {
	_, err := c.Write(msg)
	return err
}

// After a failed send the connection is closed and replaced; the replacement is closed only if
// a later send fails too, and the deferred Close acts on the first connection.
func shipAll(addr string, msgs [][]byte) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close() // want `defer conn\.Close\(\) uses the value conn has at the defer statement on line \d+; conn is reassigned on line \d+`
	for _, m := range msgs {
		if err := sendOne(conn, m); err != nil {
			conn.Close()
			if conn, err = net.Dial("tcp", addr); err != nil {
				return err
			}
		}
	}
	return nil
}

// The replacement is closed after the loop: every connection is released.
func shipAllClosed(addr string, msgs [][]byte) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, m := range msgs {
		if err := sendOne(conn, m); err != nil {
			conn.Close()
			if conn, err = net.Dial("tcp", addr); err != nil {
				return err
			}
		}
	}
	return conn.Close()
}

type blockPool struct{ free [][]byte }

func (p *blockPool) Get() []byte {
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		return b
	}
	return make([]byte, 4096)
}

func (p *blockPool) Put(b []byte) { p.free = append(p.free, b[:cap(b)]) }

// The buffer is resliced after the defer: the deferred Put gives back the same memory, as meant.
func copyBlock(p *blockPool, src []byte) int {
	buf := p.Get()
	defer p.Put(buf)
	if len(src) < len(buf) {
		buf = buf[:len(src)]
	}
	return copy(buf, src)
}

// A new buffer replaces it: the deferred Put gives back the first one and the new one is lost.
func copyBlockRegrown(p *blockPool, src []byte) int {
	buf := p.Get()
	defer p.Put(buf) // want `defer p\.Put\(buf\) receives buf as it is at the defer statement on line \d+; buf is assigned again on line \d+`
	if len(src) > len(buf) {
		buf = make([]byte, len(src))
	}
	return copy(buf, src)
}
