// Package logrus is a small look-alike of github.com/sirupsen/logrus for fixtures.
package logrus

import "os"

type Logger struct{}

func New() *Logger { return &Logger{} }

func (l *Logger) Fatalf(format string, args ...any) { os.Exit(1) }
func (l *Logger) Infof(format string, args ...any)  {}

func Fatal(args ...any) { os.Exit(1) }
func Info(args ...any)  {}
