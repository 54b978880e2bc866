package record

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"sync"

	"example.com/fah25/api"
)

// LogSink writes events as text lines.
type LogSink struct {
	mu sync.Mutex
	w  io.Writer
}

// NewLogSink returns a sink writing to w.
func NewLogSink(w io.Writer) *LogSink { return &LogSink{w: w} }

// Write implements Sink.
func (s *LogSink) Write(ev api.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := fmt.Fprintf(s.w, "%s %-7s %s %s (x%d): %s\n",
		ev.LastSeen.Format("15:04:05"), ev.Type, ev.Object, ev.Reason, ev.Count, ev.Message)
	return err
}

// JSONSink writes events as JSON lines.
type JSONSink struct {
	mu  sync.Mutex
	enc *json.Encoder
}

// NewJSONSink returns a sink encoding to w.
func NewJSONSink(w io.Writer) *JSONSink { return &JSONSink{enc: json.NewEncoder(w)} }

// Write implements Sink.
func (s *JSONSink) Write(ev api.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enc.Encode(ev)
}

// FuncSink adapts a function; a panic in fn is turned into an error.
type FuncSink func(api.Event) error

// Write implements Sink.
func (f FuncSink) Write(ev api.Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("record: sink function panicked: %v", p)
			err = fmt.Errorf("sink function panicked: %v", p)
		}
	}()
	return f(ev)
}
