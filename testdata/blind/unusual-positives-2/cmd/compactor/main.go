// Command compactor merges small segments into larger ones.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"example.com/unusualpositives2/internal/archive"
	"example.com/unusualpositives2/internal/trace"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("compactor", flag.ContinueOnError)
	dir := fs.String("dir", ".", "segment directory")
	name := fs.String("name", "compacted", "output segment name")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rec := trace.NewRecorder(os.Stderr)
	defer rec.Time("compact")()
	if err := compact(*dir, *name); err != nil {
		fmt.Fprintln(os.Stderr, "compactor:", err)
		return 1
	}
	return 0
}

func compact(dir, name string) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.gz"))
	if err != nil {
		return err
	}
	sort.Strings(paths)
	var all []byte
	for _, p := range paths {
		b, err := archive.ReadGzip(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		all = append(all, b...)
	}
	return archive.WriteGzip(filepath.Join(dir, name+".merged.gz"), all)
}
