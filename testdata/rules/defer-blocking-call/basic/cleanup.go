package fixture

import "net"

// A driver whose cleanup methods talk to the server: closing a connection sends a terminate
// message first. A deferred Close (or a call that only reaches the network through one) is the
// accepted cleanup; other methods that write are still reported.
type pgConn struct{ nc net.Conn }

func (c *pgConn) Close() error {
	_, _ = c.nc.Write([]byte{'X', 0, 0, 0, 4})
	return c.nc.Close()
}

func (c *pgConn) sync() error {
	_, err := c.nc.Write([]byte{'S', 0, 0, 0, 4})
	return err
}

type pgPool struct{ idle []*pgConn }

func (p *pgPool) Release(c *pgConn, broken bool) {
	if broken {
		_ = c.Close()
		return
	}
	p.idle = append(p.idle, c)
}

type pgRows struct {
	pool *pgPool
	conn *pgConn
}

func (r *pgRows) Close() {
	r.pool.Release(r.conn, false)
}

func (p *pgPool) Exec(c *pgConn) {
	defer p.Release(c, false)
}

func (p *pgPool) Query(r *pgRows) {
	defer r.Close()
}

func (p *pgPool) Ping(c *pgConn) {
	defer c.sync() // want `deferred c\.sync\(\) → pgConn\.sync → c\.nc\.Write\(.*\) \(line 16\) waits for the peer to accept data`
}
