// Package logx is a small buffered key/value logger in the style of zap:
// callers create it once and flush it with defer logger.Sync().
package logx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

type core struct {
	mu   sync.Mutex
	w    *bufio.Writer
	file *os.File
}

// Logger writes "time level msg k=v ..." lines.
type Logger struct {
	c      *core
	fields string
}

// New logs to w through a buffer.
func New(w io.Writer) *Logger {
	return &Logger{c: &core{w: bufio.NewWriterSize(w, 32<<10)}}
}

// Open appends to the file at path. The caller owns the logger and must
// call Close; the file is deliberately not closed here.
func Open(path string) (*Logger, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("logx: open %s: %w", path, err)
	}
	l := New(f)
	l.c.file = f
	return l, nil
}

// With returns a child logger sharing the output and adding fields.
func (l *Logger) With(kv ...any) *Logger {
	return &Logger{c: l.c, fields: l.fields + formatKV(kv)}
}

func formatKV(kv []any) string {
	var sb strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&sb, " %v=%v", kv[i], kv[i+1])
	}
	return sb.String()
}

func (l *Logger) write(level, msg string, kv []any) {
	line := fmt.Sprintf("%s %s %s%s%s\n", time.Now().UTC().Format(time.RFC3339Nano), level, msg, l.fields, formatKV(kv))
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	_, _ = l.c.w.WriteString(line)
}

// Info logs at info level.
func (l *Logger) Info(msg string, kv ...any) { l.write("INFO", msg, kv) }

// Error logs at error level.
func (l *Logger) Error(msg string, kv ...any) { l.write("ERROR", msg, kv) }

// Sync flushes buffered lines and fsyncs the file, if any.
func (l *Logger) Sync() error {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if err := l.c.w.Flush(); err != nil {
		return err
	}
	if l.c.file != nil {
		return l.c.file.Sync()
	}
	return nil
}

// Close syncs and closes the underlying file.
func (l *Logger) Close() error {
	err := l.Sync()
	l.c.mu.Lock()
	f := l.c.file
	l.c.file = nil
	l.c.mu.Unlock()
	if f == nil {
		return err
	}
	return errors.Join(err, f.Close())
}

// SetOutput flushes pending lines to the old writer and switches to w.
func (l *Logger) SetOutput(w io.Writer) error {
	l.c.mu.Lock() // HAZ lock-leaked-on-return
	if err := l.c.w.Flush(); err != nil {
		return fmt.Errorf("logx: flush before switching output: %w", err)
	}
	l.c.w = bufio.NewWriterSize(w, 32<<10)
	l.c.file = nil
	l.c.mu.Unlock()
	return nil
}

// Rotate reopens the log file at path, e.g. after logrotate moved it.
func (l *Logger) Rotate(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	l.c.mu.Lock()
	if err := l.c.w.Flush(); err != nil {
		l.c.mu.Unlock()
		_ = f.Close()
		return err
	}
	old := l.c.file
	l.c.w = bufio.NewWriterSize(f, 32<<10)
	l.c.file = f
	l.c.mu.Unlock()
	if old != nil {
		return old.Close()
	}
	return nil
}
