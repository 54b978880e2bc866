package querylog

import (
	"bytes"
	"log"
	"sync"
	"sync/atomic"
)

// Logger queues entries from the query path and writes them from a single
// goroutine, dropping entries rather than slowing queries down.
type Logger struct {
	rot     *Rotator
	entries chan Entry
	bufs    sync.Pool
	wg      sync.WaitGroup
	closed  atomic.Bool
	dropped atomic.Uint64
	once    sync.Once
	err     error
}

// NewLogger starts the writer goroutine.
func NewLogger(rot *Rotator, queue int) *Logger {
	l := &Logger{rot: rot, entries: make(chan Entry, queue)}
	l.bufs.New = func() any { return new(bytes.Buffer) }
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.run()
	}()
	return l
}

// Log queues e without blocking.
func (l *Logger) Log(e Entry) {
	if l.closed.Load() {
		l.dropped.Add(1)
		return
	}
	select {
	case l.entries <- e:
	default:
		l.dropped.Add(1)
	}
}

// Dropped returns how many entries were discarded.
func (l *Logger) Dropped() uint64 { return l.dropped.Load() }

func (l *Logger) run() {
	for e := range l.entries {
		buf := l.bufs.Get().(*bytes.Buffer)
		defer l.bufs.Put(buf) // HAZ defer-in-infinite-loop
		buf.Reset()
		l.write(e, buf)
	}
}

// write formats e into buf and hands it to the rotator. A formatting bug
// must only cost this entry.
func (l *Logger) write(e Entry, buf *bytes.Buffer) {
	defer func() {
		logPanic := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				l.dropped.Add(1)
				log.Printf("querylog: dropping entry for %s: %v", e.Name, r)
			}
		}
		logPanic()
	}()
	buf.Write(e.AppendTo(buf.AvailableBuffer()))
	if _, err := l.rot.Write(buf.Bytes()); err != nil {
		l.dropped.Add(1)
	}
}

// Close drains the queue, then flushes and closes the rotator.
func (l *Logger) Close() error {
	l.once.Do(func() {
		l.closed.Store(true)
		close(l.entries)
		l.wg.Wait()
		l.err = l.rot.Close()
	})
	return l.err
}
