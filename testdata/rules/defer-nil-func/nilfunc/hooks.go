package nilfunc

import "sync"

type relay struct {
	mu   sync.Mutex
	acks map[string]func(string)
}

// ackHook hands back the hook registered for topic: nil when there is none.
func (r *relay) ackHook(topic string) func(string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.acks[topic]
}

// The hook of a topic nobody registered is nil: the deferred call panics at exit.
func (r *relay) deliver(topic, msg string, publish func(string) error) error {
	ack := r.ackHook(topic)
	defer ack(msg) // want `ack is nil when the map lookup r\.acks\[topic\] that r\.ackHook returns on line \d+ misses`
	return publish(msg)
}

// Guarded: fine.
func (r *relay) deliverAcked(topic, msg string, publish func(string) error) error {
	if ack := r.ackHook(topic); ack != nil {
		defer ack(msg)
	}
	return publish(msg)
}
