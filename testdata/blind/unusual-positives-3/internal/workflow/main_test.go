package workflow

import (
	"fmt"
	"os"
	"testing"
)

// TestMain marks the shared scratch area as in use while the tests run.
func TestMain(m *testing.M) {
	marker, err := os.CreateTemp("", "wf-test-*.lock")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	marker.Close()
	defer os.Remove(marker.Name())
	os.Exit(m.Run()) // HAZ exit-skips-defer
}
