package server

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"os"
	"sync/atomic"
	"time"
)

type auditEntry struct {
	at      time.Time
	op, who string
	err     error
}

// auditLogger appends one line per mutating command to a file. Entries are
// queued and written by a single goroutine so that commands never wait on
// the disk.
type auditLogger struct {
	f       *os.File
	ch      chan auditEntry
	done    chan struct{}
	dropped atomic.Int64
}

func openAudit(path string) (*auditLogger, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	a := &auditLogger{f: f, ch: make(chan auditEntry, 1024), done: make(chan struct{})}
	go a.run()
	return a, nil
}

func (a *auditLogger) run() {
	defer close(a.done)
	bw := bufio.NewWriter(a.f)
	for e := range a.ch {
		status := "ok"
		if e.err != nil {
			status = e.err.Error()
		}
		fmt.Fprintf(bw, "%s %s %s %q\n", e.at.UTC().Format(time.RFC3339Nano), e.op, e.who, status)
		if len(a.ch) == 0 {
			if err := bw.Flush(); err != nil {
				log.Printf("server: audit: %v", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		log.Printf("server: audit: %v", err)
	}
}

// record queues an entry, dropping it when the queue is full.
func (a *auditLogger) record(op, who string, err error) {
	select {
	case a.ch <- auditEntry{at: time.Now(), op: op, who: who, err: err}:
	default:
		a.dropped.Add(1)
	}
}

// Close drains the queue and closes the file.
func (a *auditLogger) Close() error {
	close(a.ch)
	<-a.done
	if n := a.dropped.Load(); n > 0 {
		log.Printf("server: audit: %d entries dropped", n)
	}
	return errors.Join(a.f.Sync(), a.f.Close())
}
