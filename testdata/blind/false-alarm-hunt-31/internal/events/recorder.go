package events

import (
	"fmt"
	"sync"
	"time"
)

// Recorder is the producer-side API used by controllers.
type Recorder struct {
	b         *Broadcaster
	component string

	mu   sync.Mutex
	seen map[string]int
}

// NewRecorder returns a recorder that stamps events with component.
func NewRecorder(b *Broadcaster, component string) *Recorder {
	return &Recorder{b: b, component: component, seen: make(map[string]int)}
}

// Eventf records an event, aggregating floods of identical reasons.
func (r *Recorder) Eventf(key, typ, reason, format string, args ...any) {
	r.mu.Lock()
	n := r.seen[key+"\x00"+reason]
	r.seen[key+"\x00"+reason] = n + 1
	r.mu.Unlock()
	if n >= 10 && n%100 != 0 {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if n >= 10 {
		msg = fmt.Sprintf("%s (seen %d times)", msg, n+1)
	}
	r.b.Emit(Event{Key: key, Type: typ, Reason: reason, Message: msg, Source: r.component, Time: time.Now()})
}

// Reset forgets the aggregation state of key.
func (r *Recorder) Reset(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.seen {
		if len(k) > len(key) && k[:len(key)] == key && k[len(key)] == 0 {
			delete(r.seen, k)
		}
	}
}
