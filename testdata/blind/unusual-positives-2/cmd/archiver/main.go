// Command archiver packs a directory of segments into one .tar.gz.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"example.com/unusualpositives2/internal/archive"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "archiver: "+format+"\n", args...)
	os.Exit(1)
}

func collect(dir string) (map[string][]byte, error) {
	files := make(map[string][]byte)
	matches, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			return nil, err
		}
		files[filepath.Base(m)] = b
	}
	return files, nil
}

func main() {
	src := flag.String("src", ".", "segment directory")
	dst := flag.String("o", "segments.tar.gz", "output archive")
	flag.Parse()

	files, err := collect(*src)
	if err != nil {
		fatalf("collect: %v", err)
	}
	if len(files) == 0 {
		fatalf("no segments in %s", *src)
	}
	out, err := os.Create(*dst + ".partial")
	if err != nil {
		fatalf("create: %v", err)
	}
	defer os.Remove(out.Name())
	if err := archive.PackFilesOrdered(out, files); err != nil {
		out.Close()
		fatalf("pack: %v", err) // HAZ exit-skips-defer
	}
	if err := out.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "archiver: close:", err)
		return
	}
	if err := os.Rename(out.Name(), *dst); err != nil {
		fmt.Fprintln(os.Stderr, "archiver: rename:", err)
	}
}
