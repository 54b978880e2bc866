// Package logrus is a small look-alike of github.com/sirupsen/logrus for fixtures.
package logrus

import "os"

type Logger struct {
	// ExitFunc ends the process after a Fatal entry (os.Exit unless replaced).
	ExitFunc func(int)
}

func New() *Logger { return &Logger{ExitFunc: os.Exit} }

func (l *Logger) Fatalf(format string, args ...any) { l.ExitFunc(1) }
func (l *Logger) Infof(format string, args ...any)  {}

func Fatal(args ...any) { os.Exit(1) }
func Info(args ...any)  {}
