package nilfunc

import "net"

type connPool struct{ free []net.Conn }

func (p *connPool) put(c net.Conn) { p.free = append(p.free, c) }

// session's release is given only by newPooledSession; newDirectSession leaves it out.
type session struct {
	conn    net.Conn
	release func()
}

func newPooledSession(p *connPool, c net.Conn) *session {
	return &session{conn: c, release: func() { p.put(c) }}
}

func newDirectSession(c net.Conn) *session {
	return &session{conn: c}
}

func (s *session) exchange(b []byte) error {
	defer s.release() // want `session.release is set only in composite literals, and newDirectSession .* leaves release out`
	_, err := s.conn.Write(b)
	return err
}

// Every constructor of lease gives it a done func.
type lease struct {
	id   int
	done func()
}

func newLease(id int) *lease {
	return &lease{id: id, done: func() {}}
}

func newTrackedLease(id int, track func(int)) lease {
	return lease{id: id, done: func() { track(id) }}
}

func (l *lease) run(work func(int)) {
	defer l.done()
	work(l.id)
}

// A constructor leaves finish out, but the package sets it later by assignment: its life cycle,
// not a missing option.
type upload struct {
	name   string
	finish func()
}

func newUpload(name string) *upload {
	return &upload{name: name}
}

func (u *upload) start(done func()) {
	u.finish = done
}

func startedUpload(name string) *upload {
	return &upload{name: name, finish: func() {}}
}

func (u *upload) send(b []byte) int {
	defer u.finish()
	return len(b)
}
