package server

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Workers runs the background loops until ctx ends and returns once every
// one of them has stopped. The producer must close reqs when it is done.
func (s *Server) Workers(ctx context.Context, ln net.Listener, batches <-chan batch, reqs <-chan request) error {
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	wg.Add(4)
	go func() {
		defer wg.Done()
		s.flushLoop(ctx, time.Minute)
	}()
	go func() {
		defer wg.Done()
		s.consumeScoped(reqs)
	}()
	go func() {
		defer wg.Done()
		errc <- s.forwardScoped(ctx, batches)
	}()
	go func() {
		defer wg.Done()
		errc <- s.acceptLoop(ln)
	}()
	<-ctx.Done()
	ln.Close()
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
