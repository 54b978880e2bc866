package deferr

import (
	"fmt"
	"os"
	"testing"
)

type fileLease struct{ f *os.File }

func (l *fileLease) Release() error { return l.f.Close() }

func acquireFileLease(path string) (*fileLease, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &fileLease{f: f}, nil
}

type importer struct {
	exit func(int)
}

func newImporter() *importer { return &importer{exit: os.Exit} }

// The failed acquire ends the process through the exit field: the defer is reached only with a fileLease.
func (im *importer) importAll(dir string) {
	l, err := acquireFileLease(dir + "/lock")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		im.exit(1)
	}
	defer l.Release()
	fmt.Println("importing", dir)
}

// haltProcess is os.Exit outside tests.
var haltProcess = os.Exit

func haltf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format, args...)
	haltProcess(1)
}

// The same through a helper that exits through a package variable.
func importWithHelper(dir string) {
	l, err := acquireFileLease(dir + "/lock")
	if err != nil {
		haltf("acquire: %v", err)
	}
	defer l.Release()
	fmt.Println("importing", dir)
}

// A failing test helper held in a variable ends the test's goroutine (t.FailNow): the defer is
// reached only with a lease, also now that exits through variables are followed.
func importForTest(t *testing.T, dir string) {
	failf := func(format string, args ...any) {
		fmt.Printf(format, args...)
		t.FailNow()
	}
	l, err := acquireFileLease(dir + "/lock")
	if err != nil {
		failf("acquire: %v", err)
	}
	defer l.Release()
	fmt.Println("importing", dir)
}
