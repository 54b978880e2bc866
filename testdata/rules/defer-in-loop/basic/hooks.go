package fixture

import (
	"os"
	"strings"
	"testing"
)

type hook struct {
	before, after []func()
	next          *hook
}

func runHookFuncs(fs ...func()) {
	for _, f := range fs {
		f()
	}
}

// Each hook's before functions run now and its after functions at exit, after the spec and in
// reverse order: the teardowns are registered beside their setups on purpose.
func runSpec(first *hook, spec func()) {
	for h := first; h != nil; h = h.next {
		defer runHookFuncs(h.after...)
		runHookFuncs(h.before...)
	}
	spec()
}

func openGroup(names []string) []*os.File {
	var out []*os.File
	for _, n := range names {
		if f, err := os.Open(n); err == nil {
			out = append(out, f)
		}
	}
	return out
}

func closeGroup(fs []*os.File) {
	for _, f := range fs {
		f.Close()
	}
}

// Each group's files stay open until the function returns, while the later groups open theirs.
func scanGroups(groups [][]string, visit func(*os.File)) {
	for _, g := range groups {
		fs := openGroup(g)
		defer closeGroup(fs) // want `the deferred closeGroup\(fs\) runs only when scanGroups returns|fs from openGroup on line \d+ is released by the deferred closeGroup\(fs\) only when scanGroups returns`
		for _, f := range fs {
			visit(f)
		}
	}
}

// The verdict from the subprocess's output is given once all of it has been printed.
func reportSubprocess(t *testing.T, out string) {
	for _, l := range strings.Split(out, "\n") {
		if l == "FAIL" {
			defer func() { t.Error("test failed in subprocess") }()
			continue
		}
		t.Log(l)
	}
}

// A report that also closes a file: the files pile up until the function returns.
func checkFiles(t *testing.T, names []string) {
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		defer func() { // want `runs only when checkFiles returns`
			t.Log("checked", n)
			f.Close()
		}()
	}
}

type pooledBuf struct{ b []byte }

func getPooledBuf() *pooledBuf  { return &pooledBuf{b: make([]byte, 0, 64)} }
func (p *pooledBuf) Release()   {}
func (p *pooledBuf) add(v byte) { p.b = append(p.b, v) }
func (p *pooledBuf) size() int  { return len(p.b) }
func checkSize(n int) bool      { return n >= 0 }

// Another case releases its own buffer at once; this one holds a buffer per iteration until return.
func fillBuffers(batches [][]byte) int {
	total := 0
	for _, batch := range batches {
		switch len(batch) {
		case 0:
			got := getPooledBuf()
			total += got.size()
			got.Release()
		default:
			got := getPooledBuf()
			defer got.Release() // want `got from example\.com/deferinloop\.getPooledBuf on line \d+ is released by the deferred got\.Release\(\) only when fillBuffers returns`
			for _, v := range batch {
				got.add(v)
			}
			total += got.size()
		}
	}
	if !checkSize(total) {
		return 0
	}
	return total
}
