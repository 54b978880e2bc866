package deferr

import (
	"os"
	"testing"
)

// The failure is reported with t.Errorf: the test has failed already. No finding.
func TestOpenReported(t *testing.T) {
	f, err := os.Open("testdata/in.txt")
	if err != nil {
		t.Errorf("open: %v", err)
	}
	defer f.Close()
}

// The failure is ignored outright: the deferred close runs on a nil file.
func TestOpenIgnored(t *testing.T) {
	f, err := os.Open("testdata/in.txt")
	if err != nil {
		// Handle err.
	}
	defer f.Close() // want `f from os\.Open on line \d+ is used by the deferred f\.Close\(\) before err is checked`
}
