package fixture

import (
	"net"
	"time"
)

// The goodbye is bounded: the write fails with a timeout once the deadline passes.
func serveWithGoodbye(conn net.Conn, handle func(net.Conn) error) error {
	defer conn.Close()
	defer func() {
		_ = conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, _ = conn.Write([]byte("BYE\r\n"))
	}()
	return handle(conn)
}

// A deadline on both directions bounds the read of the peer's answer too.
func closeHandshake(conn net.Conn, handle func(net.Conn) error) error {
	defer func() {
		_ = conn.SetDeadline(time.Now().Add(time.Second))
		_, _ = conn.Write([]byte("CLOSE\r\n"))
		buf := make([]byte, 16)
		_, _ = conn.Read(buf)
		conn.Close()
	}()
	return handle(conn)
}

// A read deadline does not bound a write.
func goodbyeReadDeadline(conn net.Conn, handle func(net.Conn) error) error {
	defer func() { // want `conn\.Write\(.*waits for the peer to accept data`
		_ = conn.SetReadDeadline(time.Now().Add(time.Second))
		_, _ = conn.Write([]byte("BYE\r\n"))
	}()
	return handle(conn)
}

// Clearing the deadline bounds nothing.
func goodbyeNoDeadline(conn net.Conn, handle func(net.Conn) error) error {
	defer func() { // want `conn\.Write\(.*waits for the peer to accept data`
		_ = conn.SetWriteDeadline(time.Time{})
		_, _ = conn.Write([]byte("BYE\r\n"))
	}()
	return handle(conn)
}
