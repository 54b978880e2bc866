package writes

import (
	"os"
	"testing"
)

// Test files are left out unless the rule's "tests" option is set.
func TestWritesTempFile(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("x"); err != nil {
		t.Fatal(err)
	}
}
