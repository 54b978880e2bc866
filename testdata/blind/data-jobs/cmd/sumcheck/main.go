// Command sumcheck writes or verifies a SHA-256 manifest for a directory tree.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"example.com/etl/fsutil"
	"example.com/etl/parallel"
)

func main() {
	root := flag.String("root", ".", "directory tree")
	manifest := flag.String("manifest", "SHA256SUMS", "manifest file")
	check := flag.Bool("check", false, "verify instead of writing")
	flag.Parse()
	if flag.NArg() > 0 {
		os.Exit(hashList(flag.Args()))
	}
	if *check {
		os.Exit(verify(*root, *manifest))
	}
	run(*root, *manifest)
}

// run writes the manifest for root, refusing to overwrite one that lists files now missing.
func run(root, manifest string) {
	m, err := fsutil.BuildManifest(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sumcheck:", err)
		os.Exit(1) // ok: nothing deferred yet
	}
	af, err := fsutil.CreateAtomic(manifest, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sumcheck:", err)
		os.Exit(1) // ok: nothing deferred yet
	}
	defer af.Abort()
	if old, err := fsutil.ReadManifest(manifest); err == nil {
		var gone []string
		for name := range old {
			if _, ok := m[name]; !ok {
				gone = append(gone, name)
			}
		}
		if len(gone) > 0 {
			sort.Strings(gone)
			fmt.Fprintf(os.Stderr, "sumcheck: %d files disappeared, e.g. %s\n", len(gone), gone[0])
			os.Exit(3) // HAZ exit-skips-defer
		}
	}
	if _, err := m.WriteTo(af); err != nil {
		fmt.Fprintln(os.Stderr, "sumcheck:", err)
		return
	}
	if err := af.Commit(); err != nil {
		fmt.Fprintln(os.Stderr, "sumcheck:", err)
	}
}

// verify returns the process exit code.
func verify(root, manifest string) int {
	m, err := fsutil.ReadManifest(manifest)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sumcheck:", err)
		return 1
	}
	bad, err := fsutil.Verify(root, m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sumcheck:", err)
		return 1
	}
	for _, name := range bad {
		fmt.Println("FAILED", name)
	}
	if len(bad) > 0 {
		return 2
	}
	return 0
}

// hashList prints the checksum of each file argument, computed concurrently.
func hashList(paths []string) int {
	sums, err := parallel.HashAll(paths)
	for i, p := range paths {
		if sums[i] != "" {
			fmt.Printf("%s  %s\n", sums[i], p)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sumcheck:", err)
		return 1
	}
	return 0
}
