package eager

import (
	"errors"
	"io"
	"time"

	"example.com/defereagerevaluation/clock"
)

type xfer struct {
	act *clock.Activity
	log func(op string, n int64, err error)
}

func (x *xfer) withConn(fn func(w io.Writer) (int64, error)) error {
	_, err := fn(io.Discard)
	return err
}

// The callback handed to withConn runs before it returns, and sets n and err after the defer took
// their values.
func (x *xfer) store(data []byte) error {
	var n int64
	var err error
	defer x.log("store", n, err) // want `receives err as it is at the defer statement` `receives n as it is at the defer statement`
	return x.withConn(func(w io.Writer) (int64, error) {
		var k int
		k, err = w.Write(data)
		n = int64(k)
		return n, err
	})
}

// The closure reads both at exit.
func (x *xfer) storeLate(data []byte) error {
	var n int64
	var err error
	defer func() { x.log("store", n, err) }()
	return x.withConn(func(w io.Writer) (int64, error) {
		var k int
		k, err = w.Write(data)
		n = int64(k)
		return n, err
	})
}

// A goroutine's writes are not the callback's: nothing says when it runs.
func (x *xfer) storeAsync(data []byte, done chan<- struct{}) {
	var err error
	defer x.log("async", int64(len(data)), err)
	go func() {
		_, err = io.Discard.Write(data)
		if len(data) == 0 {
			err = errors.New("empty")
		}
		close(done)
	}()
}

// Touch of another package only stores the time: deferred, it records the start as the last
// activity.
func (x *xfer) send(data []byte) error {
	defer x.act.Touch(time.Now()) // want `time.Now\(\) in defer x.act.Touch\(time.Now\(\)\) is evaluated at the defer statement`
	_, err := io.Discard.Write(data)
	return err
}

// Measure computes from its argument: the start-time idiom.
func (x *xfer) timed(data []byte) error {
	defer x.act.Measure(time.Now())
	_, err := io.Discard.Write(data)
	return err
}

// Begin by name and by field takes a start.
func (x *xfer) begin(data []byte) int {
	defer x.act.Begin(time.Now())
	return len(data)
}

// Stamp stores into a field named for a start: the start-time idiom too.
func (x *xfer) stamp(data []byte) int {
	defer x.act.Stamp(time.Now())
	return len(data)
}
