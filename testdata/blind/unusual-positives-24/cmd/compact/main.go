// Command compact rewrites every segment in a directory without empty
// records.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/up24/internal/segment"
)

type result struct {
	path          string
	before, after int
}

// compactOne rewrites one segment through a temporary file.
func compactOne(path string) (result, error) {
	recs, err := segment.Records(path)
	if err != nil {
		return result{}, err
	}
	kept := recs[:0]
	for _, r := range recs {
		if len(r) > 0 {
			kept = append(kept, r)
		}
	}
	res := result{path: path, before: len(recs), after: len(kept)}
	if res.after == res.before {
		return res, nil
	}
	tmp := path + ".compact"
	if err := segment.WriteSync(tmp, kept); err != nil {
		_ = os.Remove(tmp)
		return res, err
	}
	return res, os.Rename(tmp, path)
}

func compactAll(paths []string) ([]result, error) {
	out := make([]result, 0, len(paths))
	for _, p := range paths {
		res, err := compactOne(p)
		if err != nil {
			return out, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, res)
	}
	return out, nil
}

func main() {
	log.SetFlags(0)
	dir := flag.String("dir", ".", "segment directory")
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("compact: unexpected arguments %q", flag.Args())
	}
	paths, err := filepath.Glob(filepath.Join(*dir, "*.seg"))
	if err != nil {
		log.Fatal(err)
	}
	results, err := compactAll(paths)
	if err != nil {
		log.Fatalf("compact: %v", err)
	}
	defer log.Printf("compact: %d segments in %s", len(paths), *dir)
	for _, r := range results {
		if r.before != r.after {
			fmt.Printf("%s: %d -> %d records\n", r.path, r.before, r.after)
		}
	}
}
