// Command reindex rebuilds the search index of a document directory. A lock
// file keeps two runs from working on the same directory.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// fatalf prints the message and exits; it never returns.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "reindex: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	flag.Parse()
	if flag.NArg() != 1 {
		fatalf("usage: reindex DIR")
	}
	dir := flag.Arg(0)
	lockPath := filepath.Join(dir, ".reindex.lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		fatalf("another reindex is running (%v)", err)
	}
	if err := lock.Close(); err != nil {
		fatalf("lock: %v", err)
	}
	defer os.Remove(lockPath)

	n, err := reindex(dir)
	if err != nil {
		fatalf("%s: %v", dir, err) // HAZ exit-skips-defer
	}
	fmt.Printf("reindexed %d documents\n", n)
}

// reindex writes dir/index.json mapping every lower-cased word to the
// documents that contain it.
func reindex(dir string) (n int, err error) {
	index := make(map[string][]string)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || filepath.Ext(path) != ".txt" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		seen := make(map[string]bool)
		for _, w := range strings.Fields(strings.ToLower(string(data))) {
			if !seen[w] {
				seen[w] = true
				index[w] = append(index[w], filepath.Base(path))
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, docs := range index {
		sort.Strings(docs)
	}
	f, err := os.Create(filepath.Join(dir, "index.json"))
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	if err := json.NewEncoder(bw).Encode(index); err != nil {
		return 0, err
	}
	return n, bw.Flush()
}
