// Command pkgrel stages binaries and docs and writes release archives.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"example.com/clidevtools/internal/fsutil"
	"example.com/clidevtools/internal/release"
)

type config struct {
	name    string
	version string
	out     string
	pkgs    []string
	docs    string
	upload  string
}

func parseConfig() config {
	var c config
	var pkgs string
	flag.StringVar(&c.name, "name", "tool", "product name")
	flag.StringVar(&c.version, "version", "", "release version (vX.Y.Z)")
	flag.StringVar(&c.out, "out", "dist", "output directory")
	flag.StringVar(&pkgs, "pkgs", "./cmd/...", "comma separated main packages")
	flag.StringVar(&c.docs, "docs", "", "docs directory to include")
	flag.StringVar(&c.upload, "upload", "", "release server URL")
	flag.Parse()
	c.pkgs = strings.Split(pkgs, ",")
	return c
}

func validVersion(v string) bool {
	if !strings.HasPrefix(v, "v") {
		return false
	}
	parts := strings.Split(v[1:], ".")
	return len(parts) == 3 && parts[0] != "" && parts[1] != "" && parts[2] != ""
}

func buildBinaries(ctx context.Context, stage string, pkgs []string) ([]string, error) {
	args := append([]string{"build", "-trimpath", "-o", stage + string(filepath.Separator)}, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go build: %w", err)
	}
	entries, err := os.ReadDir(stage)
	if err != nil {
		return nil, err
	}
	var bins []string
	for _, e := range entries {
		bins = append(bins, filepath.Join(stage, e.Name()))
	}
	return bins, nil
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("pkgrel: ")
	c := parseConfig()
	if !validVersion(c.version) {
		log.Fatalf("bad -version %q", c.version)
	}
	stage, cleanup, err := fsutil.TempDir("pkgrel-stage-*")
	if err != nil {
		log.Fatal(err)
	}
	defer cleanup()
	bins, err := buildBinaries(context.Background(), stage, c.pkgs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pkgrel:", err)
		os.Exit(1) // HAZ exit-skips-defer
	}
	if err := packageRelease(c, bins); err != nil {
		fmt.Fprintln(os.Stderr, "pkgrel:", err)
	}
}

func packageRelease(c config, bins []string) error {
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	b := release.NewBuilder(c.name, c.version, c.out)
	b.Log = os.Stderr
	for _, bin := range bins {
		if err := b.Add(bin, filepath.Join("bin", filepath.Base(bin))); err != nil {
			return err
		}
	}
	if c.docs != "" {
		if err := b.AddDir(c.docs, "docs"); err != nil {
			return err
		}
	}
	archives, err := b.PackageBoth()
	if err != nil {
		return err
	}
	m := release.NewManifest(c.name, c.version)
	for _, a := range archives {
		m.AddArtifact(filepath.Base(a), "")
	}
	return release.SaveManifest(filepath.Join(c.out, "manifest.json"), m)
}
