// Package xferlog writes the transfer log: one line per completed upload or
// download, in a format close to wu-ftpd's xferlog.
package xferlog

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Record describes one transfer.
type Record struct {
	Time      time.Time
	Duration  time.Duration
	Remote    string
	Bytes     int64
	Path      string
	Direction byte // 'i' upload, 'o' download
	User      string
	Complete  bool
}

// String renders the record as one log line.
func (r Record) String() string {
	status := 'c'
	if !r.Complete {
		status = 'i'
	}
	return fmt.Sprintf("%s %d %s %d %s b _ %c r %s ftp 0 * %c",
		r.Time.UTC().Format(time.ANSIC), int(r.Duration.Seconds()), r.Remote,
		r.Bytes, r.Path, r.Direction, r.User, status)
}

// Logger queues records and writes them from one goroutine, so that
// transfers never wait on the log disk. When the queue is full records are
// dropped and counted.
type Logger struct {
	ch      chan Record
	done    chan struct{}
	dropped atomic.Int64

	mu     sync.RWMutex
	closed bool
	err    error
}

// Open appends to the log at path.
func Open(path string, queue int) (*Logger, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	l := &Logger{ch: make(chan Record, queue), done: make(chan struct{})}
	go l.loop(f)
	return l, nil
}

func (l *Logger) loop(f *os.File) {
	defer log.Printf("xferlog: writer stopped (panic: %v)", recover()) // HAZ recover-ineffective
	defer close(l.done)
	bw := bufio.NewWriter(f)
	var err error
	for rec := range l.ch {
		if _, werr := bw.WriteString(rec.String() + "\n"); werr != nil && err == nil {
			err = werr
		}
		if len(l.ch) == 0 {
			if ferr := bw.Flush(); ferr != nil && err == nil {
				err = ferr
			}
		}
	}
	if ferr := bw.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	if cerr := f.Close(); cerr != nil && err == nil {
		err = cerr
	}
	l.mu.Lock()
	l.err = err
	l.mu.Unlock()
}

// Log queues a record without blocking.
func (l *Logger) Log(rec Record) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return
	}
	select {
	case l.ch <- rec:
	default:
		l.dropped.Add(1)
	}
}

// Close drains the queue, closes the file and returns the first write
// error the writer saw.
func (l *Logger) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.ch)
	l.mu.Unlock()

	<-l.done
	if n := l.dropped.Load(); n > 0 {
		log.Printf("xferlog: %d records dropped (queue full)", n)
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.err
}
