package load

import (
	"fmt"
	"os"
	"testing"
)

// fixturePath is a small CSV shared by the tests of this package.
var fixturePath string

func TestMain(m *testing.M) {
	path, err := writeFixture()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load tests: fixture:", err)
		os.Exit(1)
	}
	defer os.Remove(path)
	fixturePath = path
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func writeFixture() (string, error) {
	f, err := os.CreateTemp("", "etl-load-fixture-*.csv")
	if err != nil {
		return "", err
	}
	_, werr := f.WriteString("id,name\n1,alpha\n2,beta\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(f.Name())
		return "", werr
	}
	return f.Name(), nil
}
