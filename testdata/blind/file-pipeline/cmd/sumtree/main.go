// Command sumtree writes a SHA-256 manifest of a directory tree, or checks
// a tree against one.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	"example.com/filepipeline/internal/checksum"
)

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "sumtree: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	out := flag.String("o", "", "write the manifest to this file instead of stdout")
	check := flag.String("c", "", "verify the tree against this manifest")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if flag.NArg() != 1 {
		die("usage: sumtree [-o FILE | -c FILE] [-cpuprofile FILE] DIR")
	}
	root := flag.Arg(0)

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			die("%v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			die("%v", err)
		}
		defer pprof.StopCPUProfile()
	}

	if *check != "" {
		if err := verify(root, *check); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		return
	}
	m, err := checksum.SumTree(root)
	if err != nil {
		die("%v", err) // HAZ exit-skips-defer
	}
	if err := write(m, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

func verify(root, manifest string) error {
	m, err := checksum.LoadManifest(manifest)
	if err != nil {
		return err
	}
	return m.Verify(root)
}

func write(m *checksum.Manifest, path string) error {
	if path == "" {
		_, err := m.WriteTo(os.Stdout)
		return err
	}
	return m.Save(path)
}
