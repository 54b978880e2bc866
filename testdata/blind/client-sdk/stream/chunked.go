package stream

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

// ErrIdle is returned when a stream produces no data for too long.
var ErrIdle = errors.New("stream: idle timeout")

// Lines reads newline-delimited records from body in a goroutine. The channel
// is closed when the body ends or ctx is done; body is closed then.
func Lines(ctx context.Context, body io.ReadCloser) <-chan []byte {
	out := make(chan []byte)
	go func() {
		defer close(out) // ok: closed by the only sender
		defer body.Close()
		sc := bufio.NewScanner(body)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			line := append([]byte(nil), sc.Bytes()...)
			select {
			case out <- line:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// ReadLineTimeout reads one line or gives up after d.
func ReadLineTimeout(br *bufio.Reader, d time.Duration) (string, error) {
	lines := make(chan string, 1)
	defer close(lines) // HAZ defer-close-chan-with-sender
	go func() {
		l, _ := br.ReadString('\n')
		lines <- l
	}()
	select {
	case l := <-lines:
		return l, nil
	case <-time.After(d):
		return "", ErrIdle
	}
}

// ReadLineDeadline reads one line with a buffered hand-off and no close.
func ReadLineDeadline(br *bufio.Reader, d time.Duration) (string, error) {
	type line struct {
		s   string
		err error
	}
	ch := make(chan line, 1) // ok: the reader can always deliver and exit
	go func() {
		s, err := br.ReadString('\n')
		ch <- line{s, err}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case l := <-ch:
		return l.s, l.err
	case <-t.C:
		return "", ErrIdle
	}
}

// Handler receives stream events.
type Handler struct {
	Name  string
	Async bool
	Fn    func(Event)
}

// Dispatcher fans events out to handlers and webhooks.
type Dispatcher struct {
	HC       *http.Client
	Webhook  string
	Handlers []Handler
	// Logf may be nil.
	Logf func(format string, args ...any)
}

func (d *Dispatcher) logf(format string, args ...any) {
	if d.Logf != nil {
		d.Logf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// Forward posts each event to the webhook until events is closed.
func (d *Dispatcher) Forward(events <-chan Event) {
	for ev := range events {
		resp, err := d.HC.Post(d.Webhook, "application/json", bytes.NewReader(ev.Data))
		if err != nil {
			d.logf("forward %d: %v", ev.Seq, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		if resp.StatusCode >= 300 {
			d.logf("forward %d: %s", ev.Seq, resp.Status)
		}
	}
}

func (d *Dispatcher) post(ev Event) error {
	resp, err := d.HC.Post(d.Webhook, "application/json", bytes.NewReader(ev.Data))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("stream: webhook: %s", resp.Status)
	}
	return nil
}

// ForwardAll is Forward with one body per helper call.
func (d *Dispatcher) ForwardAll(events <-chan Event) {
	for ev := range events {
		if err := d.post(ev); err != nil {
			d.logf("forward %d: %v", ev.Seq, err)
		}
	}
}

// Deliver calls every handler, turning a panic in a synchronous handler into an error.
func (d *Dispatcher) Deliver(ev Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("stream: handler panic: %v", r)
		}
	}()
	for _, h := range d.Handlers {
		if h.Async {
			go h.Fn(ev) // HAZ goroutine-outside-recover
			continue
		}
		h.Fn(ev)
	}
	return nil
}

func (d *Dispatcher) runGuarded(h Handler, ev Event) {
	defer func() {
		if r := recover(); r != nil {
			d.logf("handler %s panicked: %v", h.Name, r)
		}
	}()
	h.Fn(ev)
}

// DeliverGuarded is Deliver where asynchronous handlers recover on their own goroutine.
func (d *Dispatcher) DeliverGuarded(ev Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("stream: handler panic: %v", r)
		}
	}()
	for _, h := range d.Handlers {
		if h.Async {
			go d.runGuarded(h, ev) // ok: runGuarded recovers itself
			continue
		}
		h.Fn(ev)
	}
	return nil
}

// ConsumeAll reads every stream line by line until ctx is done.
func ConsumeAll(ctx context.Context, streams []io.ReadCloser, fn func([]byte)) {
	var wg sync.WaitGroup
	for _, rc := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer rc.Close()
			sc := bufio.NewScanner(rc)
			for sc.Scan() {
				if ctx.Err() != nil {
					wg.Done() // HAZ waitgroup-done-path
					return
				}
				fn(sc.Bytes())
			}
		}()
	}
	wg.Wait()
}

// ConsumeEach is ConsumeAll with a single deferred Done.
func ConsumeEach(ctx context.Context, streams []io.ReadCloser, fn func([]byte)) {
	var wg sync.WaitGroup
	for _, rc := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer rc.Close()
			sc := bufio.NewScanner(rc)
			for sc.Scan() && ctx.Err() == nil {
				fn(sc.Bytes())
			}
		}()
	}
	wg.Wait()
}
