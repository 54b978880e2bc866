package wt

import (
	"os"
	"testing"
)

func TestSave(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the temporary file`
	if _, err := f.WriteString("x"); err != nil {
		t.Fatal(err)
	}
}
