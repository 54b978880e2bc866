// Package golden compares test output with files under testdata and rewrites
// them when the test binary runs with -update.
package golden

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing")

// Updating reports whether -update was given. Call it after flag.Parse.
func Updating() bool { return *update }

// Path returns the golden file for name.
func Path(name string) string {
	return filepath.Join("testdata", name+".golden")
}

// Assert compares got with the golden file for name, rewriting the file
// first when -update is set.
func Assert(t testing.TB, name string, got []byte) {
	t.Helper()
	path := Path(name)
	if *update {
		Write(t, path, got)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n%s", path, Diff(string(want), string(got)))
	}
}

// Write replaces path with data atomically.
func Write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// WriteStream creates path and lets fill write its content.
func WriteStream(t testing.TB, path string, fill func(w io.Writer) error) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := fill(bw); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Append adds data at the end of the golden log at path, creating it.
func Append(t testing.TB, path string, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
}

// Diff returns a line-by-line description of the differences between want
// and got, marking removed lines with "-" and added lines with "+".
func Diff(want, got string) string {
	wl := strings.Split(want, "\n")
	gl := strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w == g {
			continue
		}
		if i < len(wl) {
			fmt.Fprintf(&b, "%d - %s\n", i+1, w)
		}
		if i < len(gl) {
			fmt.Fprintf(&b, "%d + %s\n", i+1, g)
		}
	}
	return b.String()
}
