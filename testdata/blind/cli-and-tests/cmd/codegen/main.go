// Command codegen writes String methods for the enums in a spec file. It
// is meant for go:generate lines:
//
//	//go:generate go run example.com/clitests/cmd/codegen -spec colors.spec -o colors_enum.go
package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/clitests/internal/codegen"
	"example.com/clitests/internal/pidfile"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "codegen: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	spec := flag.String("spec", "", "spec `file`")
	out := flag.String("o", "", "output `file` (default: PACKAGE_enum.go)")
	dump := flag.String("dump", "", "also dump the parsed spec as JSON to `file`")
	bundle := flag.String("bundle", "", "also write the output into a .tar.gz `file`")
	flag.Parse()
	if *spec == "" {
		fatalf("-spec is required") // ok: nothing deferred yet
	}
	lockPath := *spec + ".lock"
	lk, err := pidfile.Acquire(lockPath)
	if err != nil {
		fatalf("%v", err) // ok: nothing deferred yet
	}
	defer lk.Release()

	if err := generate(*spec, *out, *dump, *bundle); err != nil {
		fatalf("%v", err) // HAZ exit-skips-defer
	}
}

func generate(specPath, out, dump, bundle string) error {
	s, err := codegen.LoadSpec(specPath)
	if err != nil {
		return err
	}
	if out == "" {
		out = s.Package + "_enum.go"
	}
	if dump != "" {
		if err := codegen.DumpSpec(dump, s); err != nil {
			return err
		}
	}
	src, err := codegen.Render(s)
	if err != nil {
		return err
	}
	if err := codegen.WriteFile(out, src); err != nil {
		return err
	}
	if bundle != "" {
		return codegen.WriteBundle(bundle, map[string][]byte{out: src})
	}
	return nil
}
