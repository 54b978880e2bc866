package fixture

import (
	"context"
	"errors"
	"sync"
)

type message struct{ body string }

type subscription struct{ msgs chan message }

func (s *subscription) Receive(ctx context.Context) (message, error) {
	select {
	case m, ok := <-s.msgs:
		if !ok {
			return message{}, errors.New("closed")
		}
		return m, nil
	case <-ctx.Done():
		return message{}, ctx.Err()
	}
}

// One Done per message received; a worker stops when receiving fails, with no message to mark.
func receiveAll(ctx context.Context, s *subscription, n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < 4; i++ {
		go func() {
			for {
				m, err := s.Receive(ctx)
				if err != nil {
					return
				}
				_ = m.body
				wg.Done()
			}
		}()
	}
	wg.Wait()
}

// A failure after the message was taken skips its Done.
func receiveChecked(ctx context.Context, s *subscription, n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < 4; i++ {
		go func() {
			for {
				m, err := s.Receive(ctx)
				if err != nil {
					return
				}
				if m.body == "" {
					return
				}
				wg.Done() // want `wg\.Done\(\) on line 58 is skipped by the return on line 56`
			}
		}()
	}
	wg.Wait()
}
