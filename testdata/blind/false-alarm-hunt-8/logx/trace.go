package logx

import "time"

// Trace logs the start of op and returns a func that logs its end with the
// elapsed time. Callers outside this package use it as
//
//	defer logger.Trace("compact")()
func (l *Logger) Trace(op string, kv ...any) func() {
	start := l.now()
	l.Debug("begin "+op, kv...)
	return func() {
		end := append(append([]any(nil), kv...), "elapsed", l.now().Sub(start))
		l.Debug("end "+op, end...)
	}
}

// Measure runs fn and logs its duration, at error level when it fails.
func (l *Logger) Measure(op string, fn func() error) error {
	start := l.now()
	err := fn()
	elapsed := l.now().Sub(start)
	if err != nil {
		l.Error(op+" failed", "err", err, "elapsed", elapsed)
		return err
	}
	l.Debug(op+" done", "elapsed", elapsed)
	return nil
}

// Since is a tiny helper for callers that keep their own start time.
func Since(start time.Time) time.Duration { return time.Since(start).Round(time.Microsecond) }
