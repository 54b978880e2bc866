// Package journal keeps an append-only log of mirror operations and takes
// checkpoints of it.
package journal

import "log"

// Audit writes one line per operation.
type Audit struct {
	log *log.Logger
}

// NewAudit writes audit lines to l.
func NewAudit(l *log.Logger) *Audit { return &Audit{log: l} }

// Record logs the outcome of op on target.
func (a *Audit) Record(op, target string, err error) {
	if err != nil {
		a.log.Printf("audit op=%s target=%s result=error err=%q", op, target, err)
		return
	}
	a.log.Printf("audit op=%s target=%s result=ok", op, target)
}
