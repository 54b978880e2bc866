package logx

import (
	"bufio"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// AsyncWriter queues writes in memory and hands them to one background
// goroutine, so that logging never waits for a slow disk. When the queue is
// full, records are dropped and counted rather than blocking the caller.
type AsyncWriter struct {
	out       io.Writer
	queue     chan []byte
	flushReq  chan chan error
	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
	dropped   atomic.Int64

	// err is the first write error; written by loop, read after wg.Wait.
	err error
}

// NewAsyncWriter starts the background goroutine. size is the queue length
// in records.
func NewAsyncWriter(out io.Writer, size int) *AsyncWriter {
	if size <= 0 {
		size = 1024
	}
	w := &AsyncWriter{
		out:      out,
		queue:    make(chan []byte, size),
		flushReq: make(chan chan error),
		done:     make(chan struct{}),
	}
	w.wg.Add(1)
	go w.loop()
	return w
}

// Write copies p into the queue. The queue channel is never closed (Close
// signals through done instead), so a Write racing with Close cannot panic.
func (w *AsyncWriter) Write(p []byte) (int, error) {
	select {
	case <-w.done:
		return 0, ErrClosed
	default:
	}
	b := append([]byte(nil), p...)
	select {
	case w.queue <- b:
	default:
		w.dropped.Add(1)
	}
	return len(p), nil
}

// Dropped reports how many records were discarded because the queue was full.
func (w *AsyncWriter) Dropped() int64 { return w.dropped.Load() }

func (w *AsyncWriter) loop() {
	defer w.wg.Done()
	bw := bufio.NewWriterSize(w.out, 64<<10)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case b := <-w.queue:
			w.record(bw.Write(b))
		case reply := <-w.flushReq:
			w.drain(bw)
			err := bw.Flush()
			w.record(0, err)
			reply <- err
		case <-tick.C:
			w.record(0, bw.Flush())
		case <-w.done:
			w.drain(bw)
			w.record(0, bw.Flush())
			return
		}
	}
}

// drain writes whatever is queued right now without waiting for more.
func (w *AsyncWriter) drain(bw *bufio.Writer) {
	for {
		select {
		case b := <-w.queue:
			w.record(bw.Write(b))
		default:
			return
		}
	}
}

func (w *AsyncWriter) record(_ int, err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

// Sync asks the background goroutine to flush. The reply channel has room
// for the answer, so the loop never blocks on a caller that went away.
func (w *AsyncWriter) Sync() error {
	reply := make(chan error, 1)
	select {
	case w.flushReq <- reply:
	case <-w.done:
		return ErrClosed
	}
	return <-reply
}

// Close drains the queue, stops the goroutine and returns the first write
// error. It is safe to call more than once.
func (w *AsyncWriter) Close() error {
	w.closeOnce.Do(func() { close(w.done) })
	w.wg.Wait()
	return w.err
}
