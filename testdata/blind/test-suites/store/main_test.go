package store_test

import (
	"fmt"
	"os"
	"testing"
)

// sharedDir is a scratch directory shared by read-only tests of the package.
var sharedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "store-tests-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "store tests:", err)
		os.Exit(1)
	}
	sharedDir = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "store tests: cleanup:", err)
	}
	os.Exit(code)
}
