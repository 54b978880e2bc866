package swallow

import "testing"

// A test that expects a panic swallows it on purpose.
func TestMustPanic(t *testing.T) {
	defer func() {
		recover()
	}()
	panic("expected")
}
