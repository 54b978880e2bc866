package closechan

import (
	"errors"
	"os/exec"
	"runtime"
)

func pinThread() error {
	if runtime.NumCPU() == 0 {
		return errors.New("no CPU")
	}
	return nil
}

// The goroutine sends once on each of its paths (an error, or the start's result), and the
// function receives that one value before it returns: the close comes after the last send.
func startPinned(cmd *exec.Cmd) error {
	errCh := make(chan error)
	defer close(errCh)
	go func() {
		runtime.LockOSThread()
		if err := pinThread(); err != nil {
			errCh <- err
			return
		}
		errCh <- cmd.Start()
	}()
	return <-errCh
}

// Without the return after the first send, a failing pin sends twice: the second send can come
// after the close. Reported.
func startPinnedTwice(cmd *exec.Cmd) error {
	errCh := make(chan error, 2)
	defer close(errCh) // want `defer close\(errCh\) in startPinnedTwice closes errCh when startPinnedTwice returns, but the goroutine started on line \d+ can still send on it`
	go func() {
		if err := pinThread(); err != nil {
			errCh <- err
		}
		errCh <- cmd.Start()
	}()
	return <-errCh
}
