// Command dbctl inspects and repairs a node's data directory offline.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/fah19/internal/storage"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: dbctl dump|verify|export|checkpoint|repair [flags]")
}

// fatalf reports an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "dbctl: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "dump":
		runDump(args)
	case "verify":
		err = runVerify(args)
	case "export":
		err = runExport(args)
	case "checkpoint":
		err = runCheckpoint(args)
	case "repair":
		runRepair(args)
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbctl:", err)
		os.Exit(1)
	}
}

// runDump prints every entry of every live table. It holds the directory
// lock so that a running node cannot compact the tables away meanwhile.
func runDump(args []string) {
	fs := flag.NewFlagSet("dump", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	prefix := fs.String("prefix", "", "only keys with this prefix")
	_ = fs.Parse(args)

	lock, err := storage.LockDir(*dir)
	if err != nil {
		log.Fatalf("dump: %v", err)
	}
	defer lock.Release()

	m, err := storage.LoadManifest(*dir)
	if err != nil {
		log.Fatalf("dump: %v", err) // HAZ exit-skips-defer
	}
	for _, t := range m.Tables {
		entries, err := storage.ReadTable(filepath.Join(*dir, t.Name))
		if err != nil {
			fmt.Fprintf(os.Stderr, "dump: %s: %v\n", t.Name, err)
			continue
		}
		for _, e := range entries {
			if bytes.HasPrefix(e.Key, []byte(*prefix)) {
				fmt.Printf("%s\tL%d\t%q\t%q\n", t.Name, t.Level, e.Key, e.Value)
			}
		}
	}
}

// runVerify checks every live table's checksum.
func runVerify(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	_ = fs.Parse(args)

	lock, err := storage.LockDir(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()

	m, err := storage.LoadManifest(*dir)
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(m.Tables))
	for _, t := range m.Tables {
		paths = append(paths, filepath.Join(*dir, t.Name))
	}
	if err := storage.VerifyTables(paths); err != nil {
		return err
	}
	fmt.Printf("%d tables OK\n", len(paths))
	return nil
}

// runExport writes a CSV export of the whole store.
func runExport(args []string) (err error) {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	out := fs.String("o", "export.csv", "output file")
	_ = fs.Parse(args)
	if *out == "" {
		log.Fatal("export: -o must not be empty")
	}

	lock, err := storage.LockDir(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()

	e, err := storage.Open(*dir, storage.Options{})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := e.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return e.ExportCSV(context.Background(), *out)
}

// runCheckpoint makes a checkpoint of an offline data directory.
func runCheckpoint(args []string) error {
	fs := flag.NewFlagSet("checkpoint", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	dst := fs.String("to", "", "checkpoint directory")
	_ = fs.Parse(args)
	if *dst == "" {
		return errors.New("checkpoint: -to is required")
	}

	lock, err := storage.LockDir(*dir)
	defer lock.Release() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	e, err := storage.Open(*dir, storage.Options{})
	if err != nil {
		return err
	}
	if err := e.Checkpoint(*dst); err != nil {
		return errors.Join(err, e.Close())
	}
	return e.Close()
}

// runRepair drops the tables that fail verification from the manifest.
func runRepair(args []string) {
	fs := flag.NewFlagSet("repair", flag.ExitOnError)
	dir := fs.String("data", "data", "data directory")
	dryRun := fs.Bool("n", false, "only report what would be dropped")
	_ = fs.Parse(args)

	lock, err := storage.LockDir(*dir)
	if err != nil {
		fatalf("repair: %v", err)
	}
	defer lock.Release()

	m, err := storage.LoadManifestWithFallback(*dir)
	if err != nil {
		fatalf("repair: %v", err) // HAZ exit-skips-defer
	}
	keep := m.Tables[:0]
	for _, t := range m.Tables {
		if err := storage.VerifyTables([]string{filepath.Join(*dir, t.Name)}); err != nil {
			fmt.Fprintf(os.Stderr, "repair: dropping %s: %v\n", t.Name, err)
			continue
		}
		keep = append(keep, t)
	}
	if *dryRun {
		return
	}
	m.Tables = keep
	if err := storage.SaveManifest(*dir, m); err != nil {
		fmt.Fprintf(os.Stderr, "repair: %v\n", err)
	}
}
