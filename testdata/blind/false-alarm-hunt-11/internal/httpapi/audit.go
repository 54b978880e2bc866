package httpapi

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// AuditEntry records one mutating request.
type AuditEntry struct {
	Time    time.Time `json:"time"`
	Op      string    `json:"op"`
	Key     string    `json:"key"`
	Remote  string    `json:"remote"`
	Version uint64    `json:"version,omitempty"`
	Status  int       `json:"status"`
}

// AuditLog writes audit entries from a single background goroutine.
// The goroutine exits when Close is called, after draining what is
// already queued.
type AuditLog struct {
	ch       chan AuditEntry
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	enc      *json.Encoder
}

// NewAuditLog starts an audit log writing JSON lines to w.
func NewAuditLog(w io.Writer, buf int) *AuditLog {
	l := &AuditLog{
		ch:   make(chan AuditEntry, buf),
		stop: make(chan struct{}),
		done: make(chan struct{}),
		enc:  json.NewEncoder(w),
	}
	go l.run()
	return l
}

// C is the channel handlers send entries on.
func (l *AuditLog) C() chan<- AuditEntry { return l.ch }

func (l *AuditLog) run() {
	defer close(l.done)
	for {
		select {
		case e := <-l.ch:
			l.write(e)
		case <-l.stop:
			for {
				select {
				case e := <-l.ch:
					l.write(e)
				default:
					return
				}
			}
		}
	}
}

func (l *AuditLog) write(e AuditEntry) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// A misbehaving sink must not take the audit goroutine down.
		}
	}()
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	_ = l.enc.Encode(e) // audit is best effort; a broken sink must not stall writes
}

// Close stops the writer goroutine and waits for it to drain.
func (l *AuditLog) Close() {
	l.stopOnce.Do(func() { close(l.stop) })
	<-l.done
}
