// Command fmtcheck reports generated Go files that are not gofmt-clean,
// like "gofmt -l", and exits 1 if there are any.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"os"
	"runtime/pprof"

	"example.com/fah24/internal/fsutil"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("fmtcheck: ")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: fmtcheck [-cpuprofile file] dir...")
		os.Exit(2)
	}
	if *cpuprofile != "" {
		stop, err := startProfile(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		defer stop()
	}
	code := check(flag.Args(), os.Stdout, os.Stderr)
	os.Exit(code) // HAZ exit-skips-defer
}

// startProfile starts CPU profiling into path and returns the function
// that stops it and closes the file.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("closing profile: %v", err)
		}
	}, nil
}

// check lists unformatted files and returns the exit code.
func check(dirs []string, stdout, stderr io.Writer) int {
	code := 0
	for _, dir := range dirs {
		for p := range fsutil.Files(dir, ".go") {
			ok, err := checkFile(p)
			switch {
			case err != nil:
				fmt.Fprintf(stderr, "%s: %v\n", p, err)
				code = 2
			case !ok:
				fmt.Fprintln(stdout, p)
				code = max(code, 1)
			}
		}
	}
	return code
}

// checkFile reports whether the file at path is gofmt-clean.
func checkFile(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	src, err := io.ReadAll(f)
	if err != nil {
		return false, err
	}
	out, err := format.Source(src)
	if err != nil {
		return false, err
	}
	return bytes.Equal(src, out), nil
}
