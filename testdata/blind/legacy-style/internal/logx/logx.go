// Package logx is the project's small logging and tracing layer, built on the
// standard log package. It predates structured logging in the standard
// library and is kept deliberately simple.
package logx

import (
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Logger wraps a log.Logger with a debug switch and a set of fields that are
// printed on every line.
type Logger struct {
	mu     sync.Mutex
	l      *log.Logger
	debug  bool
	fields map[string]interface{}
	lines  int64
}

var std = New(os.Stderr, "", false)

// New returns a Logger writing to w.
func New(w io.Writer, prefix string, debug bool) *Logger {
	return &Logger{
		l:      log.New(w, prefix, log.LstdFlags|log.Lmicroseconds),
		debug:  debug,
		fields: make(map[string]interface{}),
	}
}

// Default returns the package-wide logger.
func Default() *Logger { return std }

// SetDebug toggles debug output.
func (lg *Logger) SetDebug(on bool) {
	lg.mu.Lock()
	lg.debug = on
	lg.mu.Unlock()
}

// SetOutput redirects the logger.
func (lg *Logger) SetOutput(w io.Writer) {
	lg.mu.Lock()
	defer lg.mu.Unlock()
	lg.l.SetOutput(w)
}

// With records a field that is printed with every following line.
func (lg *Logger) With(key string, value interface{}) *Logger {
	lg.mu.Lock()
	defer lg.mu.Unlock()
	lg.fields[key] = value
	return lg
}

// prefixLocked renders the fields; the caller holds lg.mu.
func (lg *Logger) prefixLocked() string {
	if len(lg.fields) == 0 {
		return ""
	}
	keys := make([]string, 0, len(lg.fields))
	for k := range lg.fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v ", k, lg.fields[k])
	}
	return b.String()
}

// Infof logs a line at info level.
func (lg *Logger) Infof(format string, args ...interface{}) {
	lg.mu.Lock()
	defer lg.mu.Unlock()
	lg.lines++
	lg.l.Output(2, lg.prefixLocked()+fmt.Sprintf(format, args...))
}

// Debugf logs only when debug output is on.
func (lg *Logger) Debugf(format string, args ...interface{}) {
	lg.mu.Lock()
	defer lg.mu.Unlock()
	if !lg.debug {
		return
	}
	lg.lines++
	lg.l.Output(2, "DEBUG "+lg.prefixLocked()+fmt.Sprintf(format, args...))
}

// Errorf logs an error line and counts it.
func (lg *Logger) Errorf(format string, args ...interface{}) {
	lg.mu.Lock()
	defer lg.mu.Unlock()
	lg.fields["errors"] = lg.errorsLocked() + 1
	lg.Infof("ERROR %s", fmt.Sprintf(format, args...)) // HAZ lock-reentry-under-defer
}

// errorsLocked returns the error count; the caller holds lg.mu.
func (lg *Logger) errorsLocked() int {
	n, _ := lg.fields["errors"].(int)
	return n
}

// Lines reports how many lines were written.
func (lg *Logger) Lines() int64 {
	lg.mu.Lock()
	n := lg.lines
	lg.mu.Unlock()
	return n
}

// Trace logs the start of name and returns a func that logs its end; use it
// as defer logx.Trace("name")().
func Trace(name string) func() {
	start := time.Now()
	std.Debugf("enter %s", name)
	return func() {
		std.Debugf("exit %s after %v", name, time.Since(start))
	}
}

// Timer measures one operation.
type Timer struct {
	name  string
	start time.Time
	lg    *Logger
}

// StartTimer starts a Timer that reports to lg.
func StartTimer(lg *Logger, name string) *Timer {
	if lg == nil {
		lg = std
	}
	return &Timer{name: name, start: time.Now(), lg: lg}
}

// Stop logs the elapsed time and returns it.
func (t *Timer) Stop() time.Duration {
	d := time.Since(t.start)
	t.lg.Infof("%s took %v", t.name, d)
	return d
}
