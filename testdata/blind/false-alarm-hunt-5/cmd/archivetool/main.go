// Command archivetool creates, lists, verifies and extracts release archives.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"example.com/falsealarm5/archive"
)

// main only translates realMain's code into an exit status.
func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

// realMain dispatches subcommands. It may register defers freely because
// it returns a code instead of exiting. The usage function exits, but only
// inside its own function literal.
func realMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("archivetool", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: archivetool create|list|sums|verify|extract [flags] args...")
		fs.PrintDefaults()
		os.Exit(2)
	}
	root := fs.String("C", ".", "root directory for create and verify")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() < 2 {
		fs.Usage()
	}
	logger := log.New(stderr, "archivetool: ", 0)
	cmd, target, rest := fs.Arg(0), fs.Arg(1), fs.Args()[2:]
	var err error
	switch cmd {
	case "create":
		err = create(logger, target, *root, rest)
	case "list":
		err = list(stdout, target)
	case "sums":
		err = sums(target, *root, rest)
	case "verify":
		err = verify(stdout, target, *root)
	case "extract":
		err = extract(stdout, target, *root)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n", cmd)
		return 2
	}
	if err != nil {
		logger.Print(err)
		return 1
	}
	return 0
}

func create(logger *log.Logger, dst, root string, files []string) error {
	if len(files) == 0 {
		var err error
		files, err = archive.CollectFiles(root, func(rel string) bool { return strings.HasPrefix(rel, ".git") })
		if err != nil {
			return err
		}
	}
	b := archive.NewBuilder(logger)
	if strings.HasSuffix(dst, ".zip") {
		return b.CreateZip(dst, root, files)
	}
	return b.CreateTarGz(dst, root, files)
}

func list(w io.Writer, path string) error {
	if strings.HasSuffix(path, ".zip") {
		ents, err := archive.ListZip(path)
		if err != nil {
			return err
		}
		for _, e := range ents {
			fmt.Fprintf(w, "%10d %s %s\n", e.Size, e.Modified.Format("2006-01-02 15:04"), e.Name)
		}
		return nil
	}
	names, err := archive.ListTarGz(path)
	if err != nil {
		return err
	}
	for _, n := range names {
		fmt.Fprintln(w, n)
	}
	return nil
}

func sums(dst, root string, files []string) error {
	ss, err := archive.SumFiles(root, files, 8)
	if err != nil {
		return err
	}
	if strings.HasSuffix(dst, ".csv") {
		return archive.WriteManifestCSV(dst, ss)
	}
	return archive.WriteSums(dst, ss)
}

func verify(w io.Writer, sumsPath, root string) error {
	ss, err := archive.ParseSums(sumsPath)
	if err != nil {
		return err
	}
	bad, err := archive.VerifySums(root, ss)
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Fprintf(w, "MISMATCH %s\n", b)
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d of %d files differ", len(bad), len(ss))
	}
	fmt.Fprintf(w, "OK %d files\n", len(ss))
	return nil
}

func extract(w io.Writer, src, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	var n int
	var err error
	if filepath.Ext(src) == ".zip" {
		n, err = archive.ExtractZip(src, dst)
	} else {
		n, err = archive.ExtractTarGz(src, dst)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "extracted %d files into %s\n", n, dst)
	return nil
}
