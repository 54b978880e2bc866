// Command quotactl inspects and maintains the gateway's quota data directory.
// It takes the directory lock, so it is safe to run next to a live gateway.
package main

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"example.com/ratelimitgw/internal/quota"
)

const defaultDir = "/var/lib/ratelimitgw"

func main() {
	log.SetFlags(0)
	log.SetPrefix("quotactl: ")
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "show":
		err = cmdShow(args)
	case "reset":
		err = cmdReset(args)
	case "compact":
		err = cmdCompact(args)
	case "export":
		err = cmdExport(args)
	case "merge":
		err = cmdMerge(args)
	case "restore":
		err = cmdRestore(args)
	case "report":
		err = cmdReport(args)
	case "import":
		err = cmdImport(args)
	case "bundle":
		err = cmdBundle(args)
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: quotactl show|reset|compact|export|merge|restore|report|import|bundle [flags]")
}

// die reports a fatal error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "quotactl: "+format+"\n", args...)
	os.Exit(1)
}

func cmdShow(args []string) error {
	fs := flag.NewFlagSet("show", flag.ExitOnError)
	dir := fs.String("data", defaultDir, "data directory")
	_ = fs.Parse(args)
	store := quota.NewStore(*dir, nil)
	if err := store.Load(); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TENANT\tUSED\tLIMIT\tPERIOD")
	for _, u := range store.List() {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", u.Tenant, u.Used, u.Limit, u.PeriodStart.Format("2006-01-02"))
	}
	return tw.Flush()
}

func cmdReset(args []string) error {
	fs := flag.NewFlagSet("reset", flag.ExitOnError)
	dir := fs.String("data", defaultDir, "data directory")
	all := fs.Bool("all", false, "reset every tenant")
	_ = fs.Parse(args)
	lock, err := quota.LockDir(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	store := quota.NewStore(*dir, nil)
	if err := store.Load(); err != nil {
		return err
	}
	tenants := fs.Args()
	if len(tenants) == 0 && !*all {
		log.Fatal("reset: name at least one tenant or pass -all") // HAZ exit-skips-defer
	}
	now := time.Now().UTC()
	if *all {
		n, err := store.Reconcile(now)
		if err != nil {
			return err
		}
		fmt.Printf("reset %d tenants\n", n)
		return nil
	}
	for _, t := range tenants {
		if !store.ResetTenant(t, now) {
			return fmt.Errorf("unknown tenant %q", t)
		}
	}
	if err := store.Save(); err != nil {
		return err
	}
	fmt.Printf("reset %d tenants\n", len(tenants))
	return nil
}

func cmdCompact(args []string) error {
	fs := flag.NewFlagSet("compact", flag.ExitOnError)
	dir := fs.String("data", defaultDir, "data directory")
	maxAge := fs.Duration("max-age", 90*24*time.Hour, "drop tenants idle for longer")
	_ = fs.Parse(args)
	lock, err := quota.LockDir(*dir)
	if err != nil {
		die("%v", err)
	}
	defer lock.Release()
	store := quota.NewStore(*dir, nil)
	if err := store.Load(); err != nil {
		return err
	}
	if err := store.Compact(*maxAge); err != nil {
		die("compact %s: %v", *dir, err) // HAZ exit-skips-defer
	}
	return nil
}

func cmdExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dir := fs.String("data", defaultDir, "data directory")
	out := fs.String("o", "usage.jsonl", "output file")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: quotactl export [-data DIR] [-o FILE]")
		fs.PrintDefaults()
		os.Exit(2)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	lock, err := quota.LockDir(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	store := quota.NewStore(*dir, nil)
	if err := store.Load(); err != nil {
		return err
	}
	return store.ExportAll(*out)
}

func cmdMerge(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("merge: need PRIMARY and BACKUP snapshot files")
	}
	totals, err := quota.MergeFiles(args[0], args[1])
	if err != nil {
		return err
	}
	names := make([]string, 0, len(totals))
	for name := range totals {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Printf("%s\t%d\n", name, totals[name])
	}
	return nil
}

func cmdRestore(args []string) error {
	fs := flag.NewFlagSet("restore", flag.ExitOnError)
	dir := fs.String("data", defaultDir, "data directory")
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		return fmt.Errorf("restore: need one snapshot file")
	}
	lock, err := quota.LockDir(*dir)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return lock.Release()
	}()
	store := quota.NewStore(*dir, nil)
	return store.Restore(fs.Arg(0))
}

// cmdReport prints usage as CSV for spreadsheets.
func cmdReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	dir := fs.String("data", defaultDir, "data directory")
	_ = fs.Parse(args)
	store := quota.NewStore(*dir, nil)
	if err := store.Load(); err != nil {
		return err
	}
	cw := csv.NewWriter(os.Stdout)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"tenant", "used", "limit", "period_start"}); err != nil {
		return err
	}
	for _, u := range store.List() {
		rec := []string{u.Tenant, strconv.FormatInt(u.Used, 10), strconv.FormatInt(u.Limit, 10), u.PeriodStart.Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// cmdImport merges the per-tenant files written by gateway 1.x into the store.
// It exits with status 3 when there was nothing to import, for scripts.
func cmdImport(args []string) error {
	fs := flag.NewFlagSet("import", flag.ExitOnError)
	dir := fs.String("data", defaultDir, "data directory")
	from := fs.String("from", "", "directory of legacy per-tenant files")
	_ = fs.Parse(args)
	if *from == "" {
		fmt.Fprintln(os.Stderr, "import: -from is required")
		os.Exit(2)
	}
	lock, err := quota.LockDir(*dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	store := quota.NewStore(*dir, nil)
	if err := store.Load(); err != nil && !os.IsNotExist(err) {
		return err
	}
	n, err := store.ImportDir(*from)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(os.Stderr, "import: nothing to import")
		os.Exit(3) // HAZ exit-skips-defer
	}
	fmt.Printf("imported %d tenants\n", n)
	return store.Save()
}

// cmdBundle packs the snapshot and every backup into one zip for support
// tickets.
func cmdBundle(args []string) (err error) {
	fs := flag.NewFlagSet("bundle", flag.ExitOnError)
	dir := fs.String("data", defaultDir, "data directory")
	out := fs.String("o", "quota-bundle.zip", "output file")
	_ = fs.Parse(args)
	files, err := filepath.Glob(filepath.Join(*dir, "backups", "*.json"))
	if err != nil {
		return err
	}
	files = append(files, filepath.Join(*dir, "quota.json"))
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.Base(p))
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}
