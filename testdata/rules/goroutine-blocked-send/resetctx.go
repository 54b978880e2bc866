package blockedsend

import (
	"context"
	"errors"
	"time"
)

var errInvokeTimeout = errors.New("invoke timed out")

func ready() bool { return time.Now().Unix()%2 == 0 }

// The timer goroutine sends only after its timer fires; a return before that cancels the context
// it also waits on, and it ends. It is stranded only if the timer fired first: medium.
func invoke(timeout time.Duration, run func() error) error {
	resetCtx, resetCancel := context.WithCancel(context.Background())
	defer resetCancel()
	timeoutChan := make(chan error) // want `invoke makes timeoutChan unbuffered, .* if it has already chosen that case \(otherwise the return cancels the context it waits on\)`
	go func() {
		select {
		case <-time.After(timeout):
			timeoutChan <- errInvokeTimeout
		case <-resetCtx.Done():
		}
	}()
	if !ready() {
		return errors.New("not started")
	}
	errc := make(chan error, 1)
	go func() { errc <- run() }()
	select {
	case err := <-errc:
		return err
	case err := <-timeoutChan:
		return err
	}
}

// Without the deferred cancel nothing wakes it: the goroutine blocks for good once the timer fires.
func invokeNoReset(timeout time.Duration, run func() error) error {
	resetCtx, resetCancel := context.WithCancel(context.Background())
	timeoutChan := make(chan error) // want `invokeNoReset makes timeoutChan unbuffered, and the goroutine started on line \d+ sends its result on it \(line \d+\); the return on line \d+ leaves before receiving from timeoutChan, so the goroutine blocks forever on the send: one`
	go func() {
		select {
		case <-time.After(timeout):
			timeoutChan <- errInvokeTimeout
		case <-resetCtx.Done():
		}
	}()
	if !ready() {
		return errors.New("not started")
	}
	defer resetCancel()
	select {
	case err := <-timeoutChan:
		return err
	default:
		return run()
	}
}
