package deferr

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
)

// The standard shape: check, then defer.
func checkedFirst(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// The error is logged (passed to a function) before the defer.
func loggedFirst(path string) {
	f, err := os.Open(path)
	log.Println(err)
	defer f.Close()
}

// The error is returned early by a switch on it.
func switched(path string) error {
	f, err := os.Open(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	}
	defer f.Close()
	return nil
}

// The defer runs only when the error is nil.
func guardedDefer(path string) {
	f, err := os.Open(path)
	if err == nil {
		defer f.Close()
	}
}

// The deferred closure checks the value itself.
func nilChecked(url string) {
	resp, err := http.Get(url)
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	if err != nil {
		return
	}
}

// The second result is not an error.
func notAnError(m map[string]*os.File, k string) {
	n, ok := lookup(m, k)
	defer n.Close()
	_ = ok
}

func lookup(m map[string]*os.File, k string) (*os.File, bool) {
	f, ok := m[k]
	return f, ok
}

// The error is discarded, but the call is not an HTTP request.
func discardedNonHTTP(path string) {
	f, _ := os.Open(path)
	defer f.Close()
}

// The defer does not use the value.
func unrelatedDefer(path string) error {
	f, err := os.Open(path)
	defer fmt.Println("done")
	if err != nil {
		return err
	}
	return f.Close()
}

// The variable is reassigned before the defer.
func reassigned(path string) error {
	f, err := os.Open(path)
	if f == nil {
		f = os.Stdin
	}
	defer f.Close()
	return err
}

// The error is checked in the if statement's init/cond form.
func ifInit(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return err
	}
	defer fmt.Println(n)
	return nil
}

// The error is wrapped and returned as a value first.
func wrapped(path string) (err error) {
	f, err := os.Open(path)
	err = fmt.Errorf("open: %w", err)
	defer f.Close()
	return err
}

// A value that is not used by a method or field path of the defer: passed as an argument.
func passedAsArg(path string) error {
	f, err := os.Open(path)
	defer closeQuietly(f)
	return err
}

func closeQuietly(c io.Closer) {
	if c != nil {
		c.Close()
	}
}

// The error is checked inside the deferred closure.
func checkedInClosure(path string) {
	f, err := os.Open(path)
	defer func() {
		if err == nil {
			f.Close()
		}
	}()
}

// A slice type whose method ranges over the value: on failure the nil slice is freed harmlessly,
// and a partial result returned with the error is released too.
type buffers [][]byte

func (b buffers) Free() {
	for i := range b {
		b[i] = nil
	}
}

func readBuffers(n int) (buffers, error) {
	if n == 0 {
		return nil, io.EOF
	}
	return make(buffers, n), nil
}

func freedOnEveryPath(n int) error {
	bufs, err := readBuffers(n)
	defer bufs.Free()
	if err != nil {
		return err
	}
	return nil
}

// A pointer method of this package that starts with a nil check is safe on the failure path.
type subscription struct{ closed bool }

func (s *subscription) Unsubscribe() error {
	if s == nil {
		return io.ErrClosedPipe
	}
	s.closed = true
	return nil
}

func subscribe(topic string) (*subscription, error) {
	if topic == "" {
		return nil, io.ErrShortBuffer
	}
	return &subscription{}, nil
}

func nilSafeMethod(topic string) error {
	sub, err := subscribe(topic)
	defer sub.Unsubscribe()
	if err != nil {
		return err
	}
	return nil
}

// The same through a deferred literal.
func nilSafeInLiteral(topic string) error {
	sub, err := subscribe(topic)
	defer func() { _ = sub.Unsubscribe() }()
	if err != nil {
		return err
	}
	return nil
}

// The nil check is one alternative of the guard: still safe on a nil receiver.
type client struct{ closed bool }

func (c *client) Close() error {
	if c == nil || c.closed {
		return nil
	}
	c.closed = true
	return nil
}

func dialClient(addr string) (*client, error) {
	if addr == "" {
		return nil, io.ErrShortBuffer
	}
	return &client{}, nil
}

func nilSafeOrGuard(addr string) error {
	c, err := dialClient(addr)
	defer c.Close()
	if err != nil {
		return err
	}
	return nil
}

// The whole body is guarded by a nil check: nil-safe too.
type handle struct{ closed bool }

func (h *handle) Release() {
	if h != nil {
		h.closed = true
	}
}

func openHandle(name string) (*handle, error) {
	if name == "" {
		return nil, io.ErrUnexpectedEOF
	}
	return &handle{}, nil
}

func nilSafeWholeBody(name string) error {
	h, err := openHandle(name)
	defer h.Release()
	return err
}
