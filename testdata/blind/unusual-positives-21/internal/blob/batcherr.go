package blob

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// BatchError collects the per-digest failures of a bulk operation. It is
// safe for concurrent use and its Error method takes the lock.
type BatchError struct {
	mu   sync.Mutex
	errs map[string]error
	logf func(string)
}

// NewBatchError returns an empty collector that reports progress to logf.
func NewBatchError(logf func(string)) *BatchError {
	return &BatchError{errs: make(map[string]error), logf: logf}
}

// Error lists the failed digests in order.
func (b *BatchError) Error() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	keys := make([]string, 0, len(b.errs))
	for k := range b.errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d digests failed:", len(keys))
	for _, k := range keys {
		fmt.Fprintf(&sb, " %s (%v);", k, b.errs[k])
	}
	return sb.String()
}

// Add records err for digest and logs a summary every hundred failures.
func (b *BatchError) Add(digest string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errs[digest] = err
	if len(b.errs)%100 == 0 {
		var summary error = b
		b.logf(summary.Error()) // HAZ lock-reentry-under-defer
	}
}

// Note records err like Add and logs the failure itself, which is a
// different error value whose Error takes no lock of b.
func (b *BatchError) Note(digest string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errs[digest] = err
	var cause error = err
	b.logf(digest + ": " + cause.Error())
}

// Err returns nil when nothing failed and b otherwise.
func (b *BatchError) Err() error {
	b.mu.Lock()
	n := len(b.errs)
	b.mu.Unlock()
	if n == 0 {
		return nil
	}
	return b
}

// Report logs the summary after the lock has been released by Len.
func (b *BatchError) Report() {
	if b.Len() == 0 {
		return
	}
	var summary error = b
	b.logf(summary.Error())
}

// Len returns the number of failed digests.
func (b *BatchError) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.errs)
}
