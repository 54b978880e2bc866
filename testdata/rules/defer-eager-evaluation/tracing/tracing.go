// Package tracing is a small stand-in with the shape of a tracing client.
package tracing

type Span struct{ name string }

func Start(name string) *Span { return &Span{name: name} }

// Finish records the span with the error it ended with.
func (s *Span) Finish(err error) {}

func (s *Span) End() {}
