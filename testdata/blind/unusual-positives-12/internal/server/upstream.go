package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// flushUpstream posts the cache summary to the upstream collector.
func (s *Server) flushUpstream(ctx context.Context) error {
	if s.upstream == "" {
		return nil
	}
	body := bytes.NewBufferString(s.cache.String())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+s.upstream+"/collect", body)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("upstream: %s", resp.Status)
	}
	return nil
}

// requestFlush nudges the flush loop without blocking.
func (s *Server) requestFlush() {
	select {
	case s.flushReq <- struct{}{}:
	default:
	}
}

// flushLoop pushes on every tick and on request until ctx ends.
func (s *Server) flushLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.flushReq:
		}
		if err := s.SyncTimed(ctx); err != nil {
			s.log.Printf("flush: %v", err)
		}
	}
}

// setLastSync records when the last sync finished.
func (s *Server) setLastSync(t time.Time) {
	s.lastSync.Store(t.UnixNano())
}

// observe logs how long an operation took, measured when it is called.
func (s *Server) observe(op string, start time.Time) {
	s.log.Printf("%s took %s", op, time.Since(start))
}

// SyncNow pushes immediately and stamps the sync time.
func (s *Server) SyncNow(ctx context.Context) error {
	defer s.setLastSync(time.Now()) // HAZ defer-eager-evaluation
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return s.flushUpstream(ctx)
}

// SyncTimed pushes and logs the duration; start is a deliberate snapshot and
// observe measures at exit.
func (s *Server) SyncTimed(ctx context.Context) error {
	start := time.Now()
	defer s.observe("sync", start)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := s.flushUpstream(ctx)
	if err == nil {
		s.setLastSync(time.Now())
	}
	return err
}

// LastSync returns when the last successful sync finished.
func (s *Server) LastSync() time.Time {
	return time.Unix(0, s.lastSync.Load())
}
