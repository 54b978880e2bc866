package retry

import "time"

// afterFunc is time.AfterFunc returning only the stop func, so tests can
// swap in a fake clock.
var afterFunc = func(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}
