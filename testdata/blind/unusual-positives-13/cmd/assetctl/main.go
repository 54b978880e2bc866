// Command assetctl imports manifests and exports catalog views from the
// command line, under the data directory lock shared with ingestd.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"example.com/up13/internal/catalog"
	"example.com/up13/internal/export"
	"example.com/up13/internal/ingest"
	"example.com/up13/internal/trace"
)

// fail reports err and exits.
func fail(err error) {
	fmt.Fprintf(os.Stderr, "assetctl: %v\n", err)
	os.Exit(1)
}

// lockDataDir takes the data directory lock and returns its release.
func lockDataDir(dir string) (func(), error) {
	lock := filepath.Join(dir, ".assetctl.lock")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("data directory %s is locked: %w", dir, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(lock)
		return nil, err
	}
	return func() { os.Remove(lock) }, nil
}

// loadCatalog builds a catalog from the data directory's manifest.
func loadCatalog(dataDir string) (*catalog.Catalog, error) {
	recs, err := ingest.ReadManifest(filepath.Join(dataDir, "catalog.tsv"))
	if err != nil {
		return nil, err
	}
	batch := make([]catalog.Asset, 0, len(recs))
	for _, r := range recs {
		batch = append(batch, catalog.Asset{ID: r.ID, Path: r.Path, Size: r.Size, Tags: r.Tags})
	}
	cat := catalog.New()
	cat.MergeEach([][]catalog.Asset{batch})
	return cat, nil
}

func runImport(dataDir string, args []string) (err error) {
	sources := make([]ingest.Source, 0, len(args))
	for _, a := range args {
		sources = append(sources, ingest.FileSource{Path: a})
	}
	recs, err := ingest.LoadEach(sources)
	if err != nil {
		return err
	}
	jf, err := os.OpenFile(filepath.Join(dataDir, "journal.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, jf.Close()) }()
	j := catalog.NewJournal(jf, nil)
	ops := make([]catalog.Op, 0, len(recs))
	for _, r := range recs {
		ops = append(ops, catalog.Op{Kind: "import", ID: r.ID})
	}
	if err := j.AppendAll(ops); err != nil {
		return err
	}
	fmt.Printf("imported %d records\n", len(recs))
	return nil
}

func runExport(dataDir string, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	tag := fs.String("tag", "", "export only assets with this tag")
	out := fs.String("out", ".", "output directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cat, err := loadCatalog(dataDir)
	if err != nil {
		return err
	}
	ex := export.NewExporter(cat, *out, trace.NewRecorder())
	if *tag != "" {
		return ex.ExportCSV(*tag)
	}
	return ex.ExportIndexAudited(cat.Tagged("all"))
}

func runTags(dataDir string, args []string) error {
	cat, err := loadCatalog(dataDir)
	if err != nil {
		return err
	}
	tags := args
	if len(tags) == 0 {
		tags = []string{"raw", "graded", "final"}
	}
	sort.Strings(tags)
	for _, t := range tags {
		fmt.Printf("%-12s %d\n", t, len(cat.Tagged(t)))
	}
	return nil
}

// dispatch runs one subcommand.
func dispatch(dataDir, cmd string, args []string) error {
	switch cmd {
	case "import":
		return runImport(dataDir, args)
	case "export":
		return runExport(dataDir, args)
	case "tags":
		return runTags(dataDir, args)
	default:
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: assetctl [-data dir] import|export|tags [args]\n")
		flag.PrintDefaults()
		os.Exit(2)
	}
	dataDir := flag.String("data", "/var/lib/ingest", "data directory")
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
	}
	unlock, err := lockDataDir(*dataDir)
	if err != nil {
		fail(err)
	}
	defer unlock()
	if err := dispatch(*dataDir, flag.Arg(0), flag.Args()[1:]); err != nil {
		fail(err) // HAZ exit-skips-defer
	}
}
