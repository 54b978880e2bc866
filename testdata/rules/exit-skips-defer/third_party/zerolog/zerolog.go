// Package zerolog is a small look-alike of github.com/rs/zerolog for fixtures.
package zerolog

import "os"

type Logger struct{}
type Event struct{ fatal bool }

func (l *Logger) Fatal() *Event         { return &Event{fatal: true} }
func (l *Logger) Info() *Event          { return &Event{} }
func (e *Event) Str(k, v string) *Event { return e }
func (e *Event) Msg(msg string) {
	if e.fatal {
		os.Exit(1)
	}
}
func (e *Event) Msgf(format string, args ...any) { e.Msg(format) }
