// Package testutil holds a helper that tests of other packages defer.
package testutil

import "testing"

// FailOnPanic turns a panic of the test into a failure; deferred directly by tests.
func FailOnPanic(t testing.TB) {
	if r := recover(); r != nil {
		t.Fatalf("panic: %v", r)
	}
}
