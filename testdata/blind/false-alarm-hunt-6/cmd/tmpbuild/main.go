// Command tmpbuild assembles a release bundle in a temporary workspace:
// it copies the inputs, writes a checksum manifest, archives the workspace
// and moves the archive into place. The workspace is always removed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"

	"example.com/falsealarm6/internal/archive"
	"example.com/falsealarm6/internal/fsutil"
)

func main() {
	out := flag.String("o", "bundle.tar.gz", "output archive")
	name := flag.String("name", "bundle", "top-level directory name")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "tmpbuild: no inputs")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := build(ctx, *out, *name, flag.Args())
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "tmpbuild: %v\n", err)
		os.Exit(1)
	}
}

// build does the work inside fsutil.WithTempDir, which removes the
// workspace after the callback returns.
func build(ctx context.Context, out, name string, inputs []string) error {
	return fsutil.WithTempDir("tmpbuild-*", func(ws string) error {
		root := filepath.Join(ws, name)
		if err := fsutil.EnsureDir(root); err != nil {
			return err
		}
		staged, err := stage(ctx, root, inputs)
		if err != nil {
			return err
		}
		if err := writeSums(filepath.Join(root, "SHA256SUMS"), staged); err != nil {
			return err
		}
		tmpOut := filepath.Join(ws, "out.tar.gz")
		if _, err := archive.TarGz(tmpOut, ws, archive.Options{Exclude: []string{"out.tar.gz"}}); err != nil {
			return err
		}
		return moveInto(tmpOut, out)
	})
}

// stage copies each input into root, stopping early on cancellation.
func stage(ctx context.Context, root string, inputs []string) ([]string, error) {
	var staged []string
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return staged, err
		}
		dst := filepath.Join(root, filepath.Base(in))
		if err := fsutil.CopyFile(dst, in, 0o644); err != nil {
			return staged, fmt.Errorf("stage %s: %w", in, err)
		}
		staged = append(staged, dst)
	}
	return staged, nil
}

// writeSums writes "sum  name" lines through fsutil.WriteLines, which
// checks Flush and Close.
func writeSums(path string, files []string) error {
	sums, err := fsutil.HashFiles(files)
	if err != nil {
		return err
	}
	lines := make([]string, 0, len(sums))
	for f, s := range sums {
		lines = append(lines, s+"  "+filepath.Base(f))
	}
	sort.Strings(lines)
	return fsutil.WriteLines(path, lines)
}

// moveInto renames src to dst, falling back to copy+remove across devices.
func moveInto(src, dst string) error {
	err := os.Rename(src, dst)
	if err == nil {
		return nil
	}
	var le *os.LinkError
	if !errors.As(err, &le) {
		return err
	}
	if err := fsutil.CopyFile(dst, src, 0o644); err != nil {
		return err
	}
	return os.Remove(src)
}
