package pubsub

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"sort"
	"sync"
	"time"
)

const (
	handshakeTimeout = 10 * time.Second
	writeTimeout     = 5 * time.Second
)

// errProbe ends a connection that only pinged the broker.
var errProbe = errors.New("pubsub: probe connection")

// session is one connected device on the broker side.
type session struct {
	id   string
	conn net.Conn

	mu       sync.Mutex // serialises writes on conn
	lastSeen time.Time
}

// send writes p to the device, bounded by writeTimeout.
func (s *session) send(p Packet) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.conn.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return WritePacket(s.conn, p)
}

// writeDisconnect tells the device to go away. It waits for the write to finish.
func (s *session) writeDisconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := WritePacket(s.conn, Packet{Type: Disconnect}); err != nil {
		log.Printf("pubsub: disconnect %s: %v", s.id, err)
	}
}

// Broker is the gateway side of the protocol.
type Broker struct {
	idle time.Duration

	mu       sync.RWMutex
	sessions map[string]*session
	subs     map[string]map[*session]struct{} // filter -> subscribers
	closed   bool
	ln       net.Listener

	wg sync.WaitGroup // connection handlers
}

// NewBroker returns a broker that drops sessions silent for longer than idle.
func NewBroker(idle time.Duration) *Broker {
	return &Broker{
		idle:     idle,
		sessions: make(map[string]*session),
		subs:     make(map[string]map[*session]struct{}),
	}
}

// Serve accepts device connections on ln until the listener fails or the broker
// is closed.
func (b *Broker) Serve(ln net.Listener) (err error) {
	b.mu.Lock()
	b.ln = ln
	b.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			log.Printf("pubsub: accept loop panicked: %v\n%s", r, debug.Stack())
			err = fmt.Errorf("pubsub: accept loop panicked: %v", r)
		}
	}()
	for {
		conn, aerr := ln.Accept()
		if aerr != nil {
			if b.isClosed() {
				return nil
			}
			return aerr
		}
		b.wg.Add(1)
		go b.handle(conn)
	}
}

// handle runs one device connection. It recovers its own panics.
func (b *Broker) handle(conn net.Conn) {
	defer b.wg.Done()
	defer conn.Close()
	defer b.recoverSession(conn.RemoteAddr().String())
	s, err := b.accept(conn)
	if err != nil {
		if !errors.Is(err, errProbe) {
			log.Printf("pubsub: handshake with %s: %v", conn.RemoteAddr(), err)
		}
		return
	}
	err = b.serveSession(conn, s)
	b.drop(s)
	if err != nil && !errors.Is(err, io.EOF) {
		log.Printf("pubsub: session %s: %v", s.id, err)
	}
}

// serveSession reads and routes packets until the device leaves or goes quiet.
func (b *Broker) serveSession(conn net.Conn, s *session) error {
	for {
		if err := conn.SetReadDeadline(time.Now().Add(b.idle)); err != nil {
			return err
		}
		p, err := ReadPacket(conn)
		if err != nil {
			return err
		}
		if err := b.route(s, p); err != nil {
			return err
		}
	}
}

// recoverSession is deferred by handle: it logs a session panic with its stack.
func (b *Broker) recoverSession(addr string) {
	if r := recover(); r != nil {
		log.Printf("pubsub: session %s panicked: %v\n%s", addr, r, debug.Stack())
	}
}

func (b *Broker) accept(conn net.Conn) (*session, error) {
	if err := conn.SetReadDeadline(time.Now().Add(handshakeTimeout)); err != nil {
		return nil, err
	}
	p, err := ReadPacket(conn)
	if err != nil {
		return nil, err
	}
	if p.Type == PingReq {
		_ = WritePacket(conn, Packet{Type: PingResp})
		return nil, errProbe
	}
	if p.Type != Connect || len(p.Payload) == 0 {
		return nil, fmt.Errorf("expected CONNECT with client id, got %v", p)
	}
	s := &session{id: string(p.Payload), conn: conn, lastSeen: time.Now()}
	b.mu.Lock()
	if old, ok := b.sessions[s.id]; ok {
		old.conn.Close()
	}
	b.sessions[s.id] = s
	b.mu.Unlock()
	return s, s.send(Packet{Type: ConnAck})
}

func (b *Broker) route(s *session, p Packet) error {
	b.touch(s)
	switch p.Type {
	case Publish:
		if !ValidTopic(p.Topic) {
			return fmt.Errorf("invalid topic %q", p.Topic)
		}
		b.Publish(p.Topic, p.Payload)
		return s.send(Packet{Type: PubAck, ID: p.ID})
	case Subscribe:
		if err := b.Subscribe(s, p.Topic); err != nil {
			return err
		}
		return s.send(Packet{Type: SubAck, ID: p.ID})
	case PingReq:
		return s.send(Packet{Type: PingResp})
	case Disconnect:
		return io.EOF
	}
	return fmt.Errorf("unexpected %v", p.Type)
}

func (b *Broker) touch(s *session) {
	b.mu.Lock()
	s.lastSeen = time.Now()
	b.mu.Unlock()
}

func (b *Broker) isClosed() bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.closed
}

// Publish delivers payload to every session subscribed to topic and returns how
// many sessions accepted it.
func (b *Broker) Publish(topic string, payload []byte) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return 0
	}
	n := 0
	for _, s := range b.matching(topic) { // HAZ lock-reentry-under-defer
		if err := s.send(Packet{Type: Publish, Topic: topic, Payload: payload}); err == nil {
			n++
		}
	}
	return n
}

// PublishExcept is Publish without echoing to the sender. It uses the locked
// helper, so the read lock is taken once.
func (b *Broker) PublishExcept(from, topic string, payload []byte) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	n := 0
	for _, s := range b.matchingLocked(topic) {
		if s.id == from {
			continue
		}
		if err := s.send(Packet{Type: Publish, Topic: topic, Payload: payload}); err == nil {
			n++
		}
	}
	return n
}

// Subscribers returns how many sessions would receive a message on topic.
func (b *Broker) Subscribers(topic string) int {
	return len(b.matching(topic))
}

func (b *Broker) matching(topic string) []*session {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.matchingLocked(topic)
}

// matchingLocked returns the subscribers of topic; the caller holds b.mu.
func (b *Broker) matchingLocked(topic string) []*session {
	seen := make(map[*session]struct{})
	var out []*session
	for filter, set := range b.subs {
		if !Match(filter, topic) {
			continue
		}
		for s := range set {
			if _, dup := seen[s]; !dup {
				seen[s] = struct{}{}
				out = append(out, s)
			}
		}
	}
	return out
}

// Subscribe adds s to filter's subscribers.
func (b *Broker) Subscribe(s *session, filter string) error {
	if !ValidFilter(filter) {
		return fmt.Errorf("invalid filter %q", filter)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	set := b.subs[filter]
	if set == nil {
		set = make(map[*session]struct{})
		b.subs[filter] = set
	}
	set[s] = struct{}{}
	return nil
}

// Unsubscribe removes s from filter's subscribers.
func (b *Broker) Unsubscribe(s *session, filter string) {
	b.mu.RLock()
	defer b.mu.Unlock() // HAZ defer-lock-mismatch
	set := b.subs[filter]
	delete(set, s)
	if len(set) == 0 {
		delete(b.subs, filter)
	}
}

// drop forgets s once its connection has ended.
func (b *Broker) drop(s *session) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sessions[s.id] == s {
		delete(b.sessions, s.id)
	}
	for filter, set := range b.subs {
		delete(set, s)
		if len(set) == 0 {
			delete(b.subs, filter)
		}
	}
}

// Kick disconnects the session with the given client id.
func (b *Broker) Kick(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.sessions[id]
	if !ok {
		return false
	}
	delete(b.sessions, id)
	defer s.conn.Close()
	defer s.writeDisconnect() // HAZ defer-blocking-call
	log.Printf("pubsub: kicking %s", id)
	return true
}

// Evict closes a session without saying goodbye; the handler cleans up.
func (b *Broker) Evict(id string) bool {
	b.mu.Lock()
	s, ok := b.sessions[id]
	b.mu.Unlock()
	if !ok {
		return false
	}
	return s.conn.Close() == nil
}

// expire removes the given sessions from the table and closes them.
func (b *Broker) expire(ids []string) int {
	n := 0
	for _, id := range ids {
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		s, ok := b.sessions[id]
		if !ok {
			continue
		}
		delete(b.sessions, id)
		s.conn.Close()
		n++
	}
	return n
}

// SweepIdle expires sessions that have been silent longer than the idle limit.
func (b *Broker) SweepIdle(now time.Time) int {
	b.mu.RLock()
	var idle []string
	for id, s := range b.sessions {
		if now.Sub(s.lastSeen) > b.idle {
			idle = append(idle, id)
		}
	}
	b.mu.RUnlock()
	if len(idle) == 0 {
		return 0
	}
	return b.expire(idle)
}

// SessionIDs returns the connected client ids, sorted.
func (b *Broker) SessionIDs() []string {
	b.mu.RLock()
	ids := make([]string, 0, len(b.sessions))
	for id := range b.sessions {
		ids = append(ids, id)
	}
	b.mu.RUnlock()
	sort.Strings(ids)
	return ids
}

// SessionCount returns the number of connected devices.
func (b *Broker) SessionCount() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.sessions)
}

// Close stops accepting, closes every session and waits for the handlers.
func (b *Broker) Close() error {
	b.mu.Lock()
	b.closed = true
	ln := b.ln
	for _, s := range b.sessions {
		s.conn.Close()
	}
	b.mu.Unlock()
	var err error
	if ln != nil {
		err = ln.Close()
	}
	b.wg.Wait()
	return err
}
