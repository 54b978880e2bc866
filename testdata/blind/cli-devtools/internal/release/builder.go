// Package release builds distributable archives for the release packager:
// staging, tar.gz and zip archives, checksums and a manifest.
package release

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

// FileEntry is one file placed in an archive.
type FileEntry struct {
	Src  string // path on disk
	Dst  string // path inside the archive
	Mode fs.FileMode
}

// Builder assembles a release.
type Builder struct {
	Name    string
	Version string
	GOOS    string
	GOARCH  string
	OutDir  string
	Files   []FileEntry
	Log     io.Writer
}

// NewBuilder returns a builder for the host platform.
func NewBuilder(name, version, outDir string) *Builder {
	return &Builder{Name: name, Version: version, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, OutDir: outDir, Log: io.Discard}
}

// BaseName is the archive base name, e.g. tool_1.2.3_linux_amd64.
func (b *Builder) BaseName() string {
	return fmt.Sprintf("%s_%s_%s_%s", b.Name, strings.TrimPrefix(b.Version, "v"), b.GOOS, b.GOARCH)
}

// Add queues a file for the archive.
func (b *Builder) Add(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("release: %s is a directory", src)
	}
	b.Files = append(b.Files, FileEntry{Src: src, Dst: filepath.ToSlash(dst), Mode: fi.Mode().Perm()})
	return nil
}

// AddDir queues every regular file below dir under prefix.
func (b *Builder) AddDir(dir, prefix string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		return b.Add(path, filepath.Join(prefix, rel))
	})
}

// Sorted returns the file list in archive order.
func (b *Builder) Sorted() []FileEntry {
	out := append([]FileEntry(nil), b.Files...)
	sort.Slice(out, func(i, j int) bool { return out[i].Dst < out[j].Dst })
	return out
}

// Step is a logged packaging step.
type Step struct {
	b     *Builder
	name  string
	start time.Time
}

// Step starts a logged step.
func (b *Builder) Step(name string) *Step {
	fmt.Fprintf(b.Log, "==> %s\n", name)
	return &Step{b: b, name: name, start: time.Now()}
}

// Done logs the end of the step.
func (s *Step) Done() {
	fmt.Fprintf(s.b.Log, "<== %s (%s)\n", s.name, time.Since(s.start).Round(time.Millisecond))
}

func (b *Builder) logDuration(what string, d time.Duration) {
	fmt.Fprintf(b.Log, "%s took %s\n", what, d.Round(time.Millisecond))
}

// Package writes the tar.gz archive and its checksum.
func (b *Builder) Package() (string, error) {
	defer b.Step("package").Done() // HAZ defer-call-chain
	archive := filepath.Join(b.OutDir, b.BaseName()+".tar.gz")
	if err := b.WriteTarGz(archive); err != nil {
		return "", err
	}
	sum, err := Checksum(archive)
	if err != nil {
		return "", err
	}
	return sum, WriteChecksums(filepath.Join(b.OutDir, "SHA256SUMS"), map[string]string{filepath.Base(archive): sum})
}

// PackageZip writes the zip archive, timing the step.
func (b *Builder) PackageZip() (string, error) {
	start := time.Now()
	defer b.logDuration("zip", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	archive := filepath.Join(b.OutDir, b.BaseName()+".zip")
	return archive, b.WriteZip(archive)
}

// PackageBoth writes both archives; the step handle is kept and ended by a
// plain deferred method call.
func (b *Builder) PackageBoth() ([]string, error) {
	step := b.Step("archives")
	defer step.Done()
	tgz, err := b.Package()
	if err != nil {
		return nil, err
	}
	zip, err := b.PackageZip()
	if err != nil {
		return nil, err
	}
	return []string{tgz, zip}, nil
}
