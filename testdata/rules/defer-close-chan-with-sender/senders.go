package closechan

import (
	"context"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Two goroutines send on errc and one receive returns: the other goroutine's send comes after
// the close.
func pipe(a, b net.Conn) error {
	errc := make(chan error, 2)
	defer close(errc) // want `defer close\(errc\) in pipe closes errc when pipe returns, but the goroutine started on line \d+ can still send on it`
	go func() {
		_, err := io.Copy(a, b)
		errc <- err
	}()
	go func() {
		_, err := io.Copy(b, a)
		errc <- err
	}()
	return <-errc
}

// Both results received: no finding.
func pipeBoth(a, b net.Conn) error {
	errc := make(chan error, 2)
	defer close(errc)
	go func() {
		_, err := io.Copy(a, b)
		errc <- err
	}()
	go func() {
		_, err := io.Copy(b, a)
		errc <- err
	}()
	err1 := <-errc
	err2 := <-errc
	if err1 != nil {
		return err1
	}
	return err2
}

// The range over the channel returns early while the goroutine goes on sending.
func watchSize(path string) int64 {
	updates := make(chan int64, 1)
	defer close(updates) // want `defer close\(updates\) in watchSize closes updates when watchSize returns, but the goroutine started on line \d+ can still send on it`
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			if st, err := os.Stat(path); err == nil {
				updates <- st.Size()
			}
		}
	}()
	last := int64(-1)
	for size := range updates {
		if size == last {
			return size
		}
		last = size
	}
	return last
}

type event struct {
	n    int64
	done bool
}

// Returns only on the sender's final event: no finding.
func sumUntilDone(parts []func() int64) int64 {
	events := make(chan event)
	defer close(events)
	go func() {
		for _, p := range parts {
			events <- event{n: p()}
		}
		events <- event{done: true}
	}()
	var total int64
	for {
		ev := <-events
		if ev.done {
			return total
		}
		total += ev.n
	}
}

type progressEvent struct{ sent int }

func reportProgress(ctx context.Context, events chan<- progressEvent) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			events <- progressEvent{}
		}
	}
}

// The group waits for the batch senders, not for the progress reporter started beside them.
func export(ctx context.Context, batches [][]int) {
	events := make(chan progressEvent, 16)
	defer close(events) // want `defer close\(events\) in export closes events when export returns, but the goroutine started on line \d+ can still send on it`
	go reportProgress(ctx, events)
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			events <- progressEvent{sent: len(b)}
		}()
	}
	wg.Wait()
}
