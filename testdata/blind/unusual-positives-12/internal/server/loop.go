package server

import (
	"context"
	"io"
	"net"
	"time"
)

// batch is a group of records bound for the upstream.
type batch struct {
	id      string
	records [][]byte
}

// writeTo writes the batch in the line protocol.
func (b batch) writeTo(w io.Writer) error {
	for _, r := range b.records {
		if _, err := w.Write(append(r, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// request is one unit of work for consume.
type request struct {
	id   string
	body []byte
}

// acquire takes a slot of the connection semaphore and returns its release.
func (s *Server) acquire() func() {
	s.sem <- struct{}{}
	return func() {
		select {
		case <-s.sem:
		default:
		}
	}
}

// pump forwards batches from in to fresh upstream connections until ctx
// ends.
func (s *Server) pump(ctx context.Context, in <-chan batch) {
	for {
		select {
		case <-ctx.Done():
			s.log.Printf("pump: stopping: %v", ctx.Err())
			break
		case b := <-in:
			conn, err := s.dial(ctx)
			if err != nil {
				s.log.Printf("pump: dial: %v", err)
				continue
			}
			defer conn.Close() // HAZ defer-in-loop defer-in-infinite-loop
			if err := b.writeTo(conn); err != nil {
				s.log.Printf("pump: batch %s: %v", b.id, err)
			}
		}
	}
}

// forward is pump for a bounded stream: it stops when in is closed or ctx
// ends.
func (s *Server) forward(ctx context.Context, in <-chan batch) error {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case b, ok := <-in:
			if !ok {
				break loop
			}
			conn, err := s.dial(ctx)
			if err != nil {
				return err
			}
			defer conn.Close() // HAZ defer-in-loop
			if err := b.writeTo(conn); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// forwardScoped is forward with one connection per batch, closed before the
// next batch is taken.
func (s *Server) forwardScoped(ctx context.Context, in <-chan batch) error {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case b, ok := <-in:
			if !ok {
				break loop
			}
			if err := s.sendBatch(ctx, b); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// sendBatch writes one batch on its own connection.
func (s *Server) sendBatch(ctx context.Context, b batch) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		conn.SetWriteDeadline(d)
	}
	return b.writeTo(conn)
}

// pumpScoped is pump done right: it returns on ctx and scopes each
// connection to a function literal.
func (s *Server) pumpScoped(ctx context.Context, in <-chan batch) {
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-in:
			func() {
				conn, err := s.dial(ctx)
				if err != nil {
					s.log.Printf("pump: dial: %v", err)
					return
				}
				defer conn.Close()
				if err := b.writeTo(conn); err != nil {
					s.log.Printf("pump: batch %s: %v", b.id, err)
				}
			}()
		}
	}
}

// consume handles requests for as long as the producer keeps in open.
func (s *Server) consume(in <-chan request) {
	for req := range in {
		release := s.acquire()
		defer release() // HAZ defer-in-loop defer-in-infinite-loop
		s.mu.Lock()
		s.handled[req.id]++
		s.mu.Unlock()
		s.cache.Put(req.id, req.body, time.Minute)
	}
}

// consumeScoped releases the slot at the end of every request.
func (s *Server) consumeScoped(in <-chan request) {
	for req := range in {
		func() {
			release := s.acquire()
			defer release()
			s.mu.Lock()
			defer s.mu.Unlock()
			s.handled[req.id]++
		}()
		s.cache.Put(req.id, req.body, time.Minute)
	}
}

// follow drops cached objects of services reported unhealthy on names,
// until names is closed.
func (s *Server) follow(names <-chan string) int {
	n := 0
	for {
		name, ok := <-names
		if !ok {
			goto done
		}
		release := s.acquire()
		defer release() // HAZ defer-in-loop
		if svc, found := s.reg.Lookup(name); found && !svc.Healthy {
			s.cache.Delete(name)
		}
		n++
	}
done:
	return n
}

// followScoped is follow holding a slot only while one name is handled.
func (s *Server) followScoped(names <-chan string) int {
	n := 0
	for {
		name, ok := <-names
		if !ok {
			goto done
		}
		func() {
			release := s.acquire()
			defer release()
			if svc, found := s.reg.Lookup(name); found && !svc.Healthy {
				s.cache.Delete(name)
			}
		}()
		n++
	}
done:
	return n
}

// drainConn reads and discards until the peer closes conn.
func drainConn(conn net.Conn) (int64, error) {
	defer conn.Close()
	return io.Copy(io.Discard, conn)
}
