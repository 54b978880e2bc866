// Command gogen generates Go types from JSON specs.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"example.com/clidevtools/internal/codegen"
	"example.com/clidevtools/internal/lockfile"
	"example.com/clidevtools/internal/spinner"
)

type options struct {
	pkg    string
	out    string
	spec   string
	check  bool
	dryRun bool
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("gogen", flag.ContinueOnError)
	fs.StringVar(&o.pkg, "pkg", "model", "package name of the generated code")
	fs.StringVar(&o.out, "out", ".", "output directory")
	fs.StringVar(&o.spec, "spec", "types.json", "spec file")
	fs.BoolVar(&o.check, "check", false, "only report stale files")
	fs.BoolVar(&o.dryRun, "n", false, "print instead of writing")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.pkg == "" {
		return o, fmt.Errorf("gogen: -pkg must not be empty")
	}
	return o, nil
}

// die prints the message and exits; it never returns.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gogen: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gogen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	g, err := codegen.New(o.pkg, o.out)
	if err != nil {
		return err
	}
	g.Log = os.Stderr
	switch {
	case o.check:
		return check(g, o.spec)
	case o.dryRun:
		return dryRun(g, o.spec)
	default:
		regenerate(g, o.spec)
		return nil
	}
}

func check(g *codegen.Generator, specPath string) error {
	specs, err := codegen.LoadSpecs(specPath)
	if err != nil {
		return err
	}
	stale, err := g.Diff(specs)
	if err != nil {
		return err
	}
	for _, s := range stale {
		fmt.Println("stale:", s)
	}
	if len(stale) > 0 {
		return fmt.Errorf("%d generated files are stale", len(stale))
	}
	return nil
}

func dryRun(g *codegen.Generator, specPath string) error {
	specs, err := codegen.LoadSpecs(specPath)
	if err != nil {
		return err
	}
	for _, s := range specs {
		fmt.Printf("// ---- %s\n%s\n", s.FileName(), g.Preview(s))
	}
	return nil
}

func regenerate(g *codegen.Generator, specPath string) {
	lf, err := lockfile.Acquire(filepath.Join(g.OutDir, ".gogen.lock"))
	if err != nil {
		die("%v", err)
	}
	defer lf.Release()
	defer spinner.Track(os.Stderr, "generating")()
	specs, err := codegen.LoadSpecs(specPath)
	if err != nil {
		die("load specs: %v", err) // HAZ exit-skips-defer
	}
	if err := g.GenerateIn(specs); err != nil {
		fmt.Fprintln(os.Stderr, "gogen:", err)
	}
}
