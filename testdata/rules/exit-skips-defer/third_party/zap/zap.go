// Package zap is a small look-alike of go.uber.org/zap for fixtures.
package zap

import "os"

type Logger struct{}

func NewExample() *Logger { return &Logger{} }

func (l *Logger) Fatal(msg string) { os.Exit(1) }
func (l *Logger) Info(msg string)  {}
func (l *Logger) Sync() error      { return nil }
