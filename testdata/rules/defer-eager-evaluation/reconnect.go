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
