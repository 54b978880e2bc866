//go:build go1.21

package h2frame

import "sync"

// This file is built with go1.21 semantics (see the build line): a range
// loop shares one variable across iterations here.

func (c *Conn) resetStream(s *Stream, code ErrCode) {
	err := c.writeFlush(func() error { return c.fr.WriteRSTStream(s.id, code) })
	if err != nil {
		c.logger.Printf("h2frame: RST_STREAM %d: %v", s.id, err)
	}
	s.finish(StreamError{StreamID: s.id, Code: code})
}

// CancelStreams resets each stream in parallel and waits.
func (c *Conn) CancelStreams(streams []*Stream, code ErrCode) int {
	var wg sync.WaitGroup
	started := 0
	for _, s := range streams {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c.resetStream(s, code)
		}()
		started++
	}
	wg.Wait()
	return started
}

// CancelIdle resets the streams with nothing buffered; each goroutine gets
// its own copy through s := s.
func (c *Conn) CancelIdle(streams []*Stream) int {
	var wg sync.WaitGroup
	n := 0
	for _, s := range streams {
		if s.buffered() > 0 {
			continue
		}
		s := s
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.resetStream(s, ErrCodeCancel)
		}()
		n++
	}
	wg.Wait()
	return n
}

// DrainStreams half-closes streams in parallel; the stream is passed as an
// argument, so each goroutine has its own.
func (c *Conn) DrainStreams(streams []*Stream) {
	var wg sync.WaitGroup
	for _, s := range streams {
		wg.Add(1)
		go func(s *Stream) {
			defer wg.Done()
			if err := s.CloseSend(); err != nil {
				c.logger.Printf("h2frame: half-close %d: %v", s.id, err)
			}
		}(s)
	}
	wg.Wait()
}
