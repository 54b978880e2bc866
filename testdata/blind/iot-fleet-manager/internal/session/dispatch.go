package session

import (
	"io"
	"log"

	"example.com/fleet/internal/metrics"
	"example.com/fleet/internal/protocol"
)

// HandlerFunc handles one frame type.
type HandlerFunc func(s *Session, fr protocol.Frame)

// Dispatcher routes frames to handlers by frame type and runs an optional
// completion hook after each handled frame.
type Dispatcher struct {
	handlers map[protocol.FrameType]HandlerFunc
	after    map[protocol.FrameType]func()
	metrics  *metrics.Registry
	log      *log.Logger
}

// NewDispatcher returns an empty Dispatcher.
func NewDispatcher(reg *metrics.Registry, logger *log.Logger) *Dispatcher {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Dispatcher{
		handlers: make(map[protocol.FrameType]HandlerFunc),
		after:    make(map[protocol.FrameType]func()),
		metrics:  reg,
		log:      logger,
	}
}

// Handle registers h for frames of type t. It must be called before the
// manager starts serving.
func (d *Dispatcher) Handle(t protocol.FrameType, h HandlerFunc) { d.handlers[t] = h }

// After registers fn to run after each frame of type t was handled.
func (d *Dispatcher) After(t protocol.FrameType, fn func()) { d.after[t] = fn }

// HandleFrame implements FrameHandler.
func (d *Dispatcher) HandleFrame(s *Session, fr protocol.Frame) {
	defer d.after[fr.Type]() // HAZ defer-nil-func
	d.metrics.Inc("frames.in." + fr.Type.String())
	h, ok := d.handlers[fr.Type]
	if !ok {
		d.log.Printf("session %s: no handler for %v frame", s.ID(), fr.Type)
		return
	}
	h(s, fr)
}

// HandleFrameIsolated is HandleFrame for handlers contributed by plugins:
// a panicking plugin must not drop the device's session.
func (d *Dispatcher) HandleFrameIsolated(s *Session, fr protocol.Frame) {
	h, ok := d.handlers[fr.Type]
	if !ok {
		return
	}
	defer func() { recover() }() // HAZ recover-swallows-panic
	h(s, fr)
}

// HandleFrameLogged runs the handler and logs, with the device and frame
// type, any panic it raises; the session survives.
func (d *Dispatcher) HandleFrameLogged(s *Session, fr protocol.Frame) {
	defer func() {
		if r := recover(); r != nil {
			d.metrics.Inc("frames.handler_panics")
			d.log.Printf("session %s: %v handler panicked: %v", s.ID(), fr.Type, r)
		}
	}()
	if h, ok := d.handlers[fr.Type]; ok {
		h(s, fr)
	}
}
