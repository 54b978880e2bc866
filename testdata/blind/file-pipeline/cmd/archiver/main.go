// Command archiver writes one tar.gz (or zip) per source directory into an
// output directory, under a lock file so that two runs never overlap.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/filepipeline/internal/archive"
	"example.com/filepipeline/internal/checksum"
	"example.com/filepipeline/internal/fsutil"
)

func usage() {
	fmt.Fprintf(os.Stderr, "usage: archiver [-o dir] [-zip] DIR...\n")
	flag.PrintDefaults()
}

func main() {
	outDir := flag.String("o", ".", "output directory")
	useZip := flag.Bool("zip", false, "write zip instead of tar.gz")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}

	lk, err := fsutil.AcquireLock(filepath.Join(*outDir, ".archiver.lock"))
	if err != nil {
		log.Fatal(err)
	}
	defer lk.Release()

	stamp := time.Now().UTC().Format("20060102-150405")
	for _, root := range flag.Args() {
		dst := archiveName(*outDir, root, stamp, *useZip)
		if err := build(dst, root, *useZip); err != nil {
			log.Fatalf("archive %s: %v", root, err) // HAZ exit-skips-defer
		}
		log.Printf("wrote %s", dst)
	}
}

func archiveName(outDir, root, stamp string, useZip bool) string {
	base := strings.Trim(filepath.ToSlash(filepath.Clean(root)), "/")
	base = strings.ReplaceAll(base, "/", "_")
	if base == "" || base == "." {
		base = "root"
	}
	ext := ".tar.gz"
	if useZip {
		ext = ".zip"
	}
	return filepath.Join(outDir, base+"-"+stamp+ext)
}

// build writes the archive and a .sha256 file next to it.
func build(dst, root string, useZip bool) error {
	defer log.Printf("archiver: done with %s -> %s", root, dst)
	var err error
	if useZip {
		err = archive.BuildZip(dst, root)
	} else {
		err = archive.BuildTarGz(dst, root)
	}
	if err != nil {
		return err
	}
	sum, _, err := checksum.HashFile(dst)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("%s  %s\n", sum, filepath.Base(dst))
	return fsutil.WriteFileAtomic(dst+".sha256", []byte(line), 0o644)
}
