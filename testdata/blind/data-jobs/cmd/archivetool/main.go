// Command archivetool creates, lists, verifies and extracts batch archives.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"example.com/etl/archiver"
	"example.com/etl/fsutil"
)

func main() {
	log.SetFlags(0)
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: archivetool [-cpuprofile f] create|list|verify|extract args...")
		flag.PrintDefaults()
		os.Exit(2) // ok: inside a function literal
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
	}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err) // ok: nothing deferred yet
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err) // ok: nothing deferred yet
		}
		defer pprof.StopCPUProfile()
	}

	if err := dispatch(flag.Arg(0), flag.Args()[1:]); err != nil {
		log.Fatalf("archivetool: %v", err) // HAZ exit-skips-defer
	}
}

func dispatch(cmd string, args []string) error {
	switch cmd {
	case "create":
		return createCmd(args)
	case "list":
		return listCmd(args)
	case "verify":
		return verifyCmd(args)
	case "extract":
		extractCmd(args)
		return nil
	default:
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "archivetool: "+format+"\n", args...)
	os.Exit(1)
}

func createCmd(args []string) error {
	if len(args) < 2 {
		return errors.New("create: need an archive name and at least one input")
	}
	dst, inputs := args[0], args[1:]
	switch {
	case strings.HasSuffix(dst, ".zip"):
		return archiver.CreateZip(dst, inputs)
	case strings.HasSuffix(dst, ".tar.gz"), strings.HasSuffix(dst, ".tgz"):
		if len(inputs) != 1 {
			return errors.New("create: .tar.gz takes one directory")
		}
		return archiver.CreateTarGz(dst, inputs[0])
	default:
		return fmt.Errorf("create: unsupported archive type %q", filepath.Ext(dst))
	}
}

func listCmd(args []string) error {
	if len(args) != 1 {
		return errors.New("list: need one archive")
	}
	names, err := archiver.ListTarGz(args[0])
	if err != nil {
		return err
	}
	for _, n := range names {
		fmt.Println(n)
	}
	return nil
}

func verifyCmd(args []string) error {
	if len(args) != 2 {
		return errors.New("verify: need a directory and a manifest")
	}
	m, err := fsutil.ReadManifest(args[1])
	if err != nil {
		return err
	}
	bad, err := fsutil.Verify(args[0], m)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return fmt.Errorf("verify: %d files differ: %s", len(bad), strings.Join(bad, ", "))
	}
	return nil
}

// extractCmd unpacks an archive under an extraction lock in the destination.
func extractCmd(args []string) {
	if len(args) != 2 {
		die("extract: need an archive and a destination") // ok: nothing deferred yet
	}
	src, dst := args[0], args[1]
	if err := os.MkdirAll(dst, 0o755); err != nil {
		die("extract: %v", err) // ok: nothing deferred yet
	}
	release, err := fsutil.LockFile(filepath.Join(dst, ".extract.lock"))
	if err != nil {
		die("extract: %s: %v", dst, err) // ok: nothing deferred yet
	}
	defer release()
	var xerr error
	if strings.HasSuffix(src, ".zip") {
		xerr = archiver.ExtractZip(src, dst)
	} else {
		xerr = archiver.ExtractTarGz(src, dst)
	}
	if xerr != nil {
		die("extract: %v", xerr) // HAZ exit-skips-defer
	}
}
