package logx

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// Field is one key/value pair attached to a record.
type Field struct {
	Key   string
	Value any
}

// Logger writes one line per record: time, level, quoted message, then
// key=value fields. It is safe for concurrent use.
type Logger struct {
	mu     sync.Mutex
	out    io.Writer
	level  Level
	fields []Field
	now    func() time.Time
	buf    []byte
}

// New returns a logger writing records at or above level to out.
func New(out io.Writer, level Level) *Logger {
	return &Logger{out: out, level: level, now: time.Now}
}

// With returns a child logger that adds kv to every record. The child shares
// the output writer, which must therefore be safe for concurrent use.
func (l *Logger) With(kv ...any) *Logger {
	l.mu.Lock()
	defer l.mu.Unlock()
	child := &Logger{out: l.out, level: l.level, now: l.now}
	child.fields = append(append([]Field(nil), l.fields...), pairs(kv)...)
	return child
}

// Enabled reports whether records at level are written.
func (l *Logger) Enabled(level Level) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return level >= l.level
}

// Debug logs at LevelDebug.
func (l *Logger) Debug(msg string, kv ...any) { l.log(LevelDebug, msg, kv) }

// Info logs at LevelInfo.
func (l *Logger) Info(msg string, kv ...any) { l.log(LevelInfo, msg, kv) }

// Warn logs at LevelWarn.
func (l *Logger) Warn(msg string, kv ...any) { l.log(LevelWarn, msg, kv) }

// Error logs at LevelError.
func (l *Logger) Error(msg string, kv ...any) { l.log(LevelError, msg, kv) }

// log formats the record into the reusable buffer and writes it. Everything
// it calls is lock-free, so holding l.mu for the whole call is safe.
func (l *Logger) log(level Level, msg string, kv []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if level < l.level {
		return
	}
	b := l.now().UTC().AppendFormat(l.buf[:0], time.RFC3339Nano)
	b = append(b, ' ')
	b = append(b, level.String()...)
	b = append(b, ' ')
	b = strconv.AppendQuote(b, msg)
	for _, f := range l.fields {
		b = appendField(b, f)
	}
	for _, f := range pairs(kv) {
		b = appendField(b, f)
	}
	b = append(b, '\n')
	l.buf = b
	_, _ = l.out.Write(b)
}

// SetLevel changes the minimum level. When the level is raised it first
// flushes the output so that records accepted under the old level are not
// reordered after the change becomes visible.
func (l *Logger) SetLevel(level Level) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.level
	l.level = level
	if level > old {
		return l.Sync() // HAZ lock-reentry-under-defer
	}
	return nil
}

// Sync flushes the output writer when it supports it.
func (l *Logger) Sync() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.out.(interface{ Sync() error }); ok {
		return s.Sync()
	}
	return nil
}

// SetOutput swaps the output writer and syncs the previous one. The old
// writer is synced after the lock is released, so Sync on it cannot contend
// with concurrent log calls.
func (l *Logger) SetOutput(w io.Writer) error {
	l.mu.Lock()
	old := l.out
	l.out = w
	l.mu.Unlock()
	if s, ok := old.(interface{ Sync() error }); ok {
		return s.Sync()
	}
	return nil
}

// pairs turns alternating key/value arguments into fields. A trailing key
// without a value is kept with the value "!MISSING".
func pairs(kv []any) []Field {
	out := make([]Field, 0, (len(kv)+1)/2)
	for i := 0; i < len(kv); i += 2 {
		key, ok := kv[i].(string)
		if !ok {
			key = fmt.Sprint(kv[i])
		}
		var v any = "!MISSING"
		if i+1 < len(kv) {
			v = kv[i+1]
		}
		out = append(out, Field{Key: key, Value: v})
	}
	return out
}

// appendField appends " key=value", quoting strings and errors.
func appendField(b []byte, f Field) []byte {
	b = append(b, ' ')
	b = append(b, f.Key...)
	b = append(b, '=')
	switch v := f.Value.(type) {
	case string:
		return strconv.AppendQuote(b, v)
	case error:
		return strconv.AppendQuote(b, v.Error())
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case bool:
		return strconv.AppendBool(b, v)
	case time.Duration:
		return append(b, v.String()...)
	default:
		return strconv.AppendQuote(b, fmt.Sprint(v))
	}
}
