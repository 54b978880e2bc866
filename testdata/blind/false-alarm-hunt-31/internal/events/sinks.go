package events

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
)

// LogSink writes events to a logger.
type LogSink struct{ Logger *log.Logger }

// Record implements Sink.
func (s LogSink) Record(ev Event) error {
	s.Logger.Printf("%s %s %s: %s", ev.Type, ev.Key, ev.Reason, ev.Message)
	return nil
}

// MultiSink fans an event out to several sinks; a panicking sink must not
// keep the others from receiving it.
type MultiSink []Sink

// Record implements Sink.
func (m MultiSink) Record(ev Event) error {
	var errs []error
	for _, s := range m {
		errs = append(errs, recordOne(s, ev))
	}
	return errors.Join(errs...)
}

func recordOne(s Sink, ev Event) (err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// best effort: the other sinks still get the event
		}
	}()
	return s.Record(ev)
}

// recordGuarded is recordOne done right: the panic becomes the error.
func recordGuarded(s Sink, ev Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sink %T panicked: %v", s, r)
		}
	}()
	return s.Record(ev)
}

// StrictMultiSink is like MultiSink but reports panicking sinks as errors.
type StrictMultiSink []Sink

// Record implements Sink.
func (m StrictMultiSink) Record(ev Event) error {
	var errs []error
	for _, s := range m {
		errs = append(errs, recordGuarded(s, ev))
	}
	return errors.Join(errs...)
}

// FileSink appends events to one file per object key.
type FileSink struct {
	dir string
	mu  sync.Mutex
}

// NewFileSink writes below dir.
func NewFileSink(dir string) *FileSink { return &FileSink{dir: dir} }

// Record implements Sink. The file is opened for appending; the close
// error is joined into the named result.
func (s *FileSink) Record(ev Event) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.pathFor(ev.Key), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = fmt.Fprintf(f, "%s\t%s\t%s\t%s\n", ev.Time.Format("2006-01-02T15:04:05Z07:00"), ev.Type, ev.Reason, ev.Message)
	return err
}

func (s *FileSink) pathFor(key string) string {
	return filepath.Join(s.dir, filepath.Base(key)+".events")
}

// Tail copies the last n lines of key's event file to w. The file is only read.
func (s *FileSink) Tail(w io.Writer, key string, n int) error {
	f, err := os.Open(s.pathFor(key))
	if err != nil {
		return err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}
