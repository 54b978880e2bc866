package fanout

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
)

// payloadRef reports whether body refers to a payload file ("@name").
func payloadRef(body []byte) (string, bool) {
	if !bytes.HasPrefix(body, []byte("@")) {
		return "", false
	}
	return string(body[1:]), true
}

// InlinePayloads consumes topic's stream for the life of the broker and
// passes every event on to out, replacing "@name" bodies by the content of
// the payload file name in dir.
func (b *Broker) InlinePayloads(topic, dir string, out chan<- Event) {
	for ev := range b.Stream(topic) {
		name, ok := payloadRef(ev.Body)
		if !ok {
			out <- ev
			continue
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			b.log.Printf("inline %s/%d: %v", topic, ev.Seq, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		body, err := io.ReadAll(io.LimitReader(f, 1<<20))
		if err != nil {
			b.log.Printf("inline %s/%d: %v", topic, ev.Seq, err)
			continue
		}
		ev.Body = body
		out <- ev
	}
}

// InlineBatch is InlinePayloads for a finite batch: every payload file is
// read and closed before the next one is opened.
func (b *Broker) InlineBatch(dir string, batch []Event) []Event {
	out := make([]Event, 0, len(batch))
	for _, ev := range batch {
		if name, ok := payloadRef(ev.Body); ok {
			body, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				b.log.Printf("inline %s/%d: %v", ev.Topic, ev.Seq, err)
				continue
			}
			ev.Body = body
		}
		out = append(out, ev)
	}
	return out
}
