package api

import (
	"testing"

	"example.com/recoverineffective/testutil"
)

func TestRunSafely(t *testing.T) {
	defer testutil.FailOnPanic(t)
	if err := RunSafely(func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}
