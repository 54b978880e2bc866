package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"example.com/backupsched/internal/agent"
	"example.com/backupsched/internal/archive"
	"example.com/backupsched/internal/config"
	"example.com/backupsched/internal/metrics"
	"example.com/backupsched/internal/objstore"
	"example.com/backupsched/internal/restore"
	"example.com/backupsched/internal/retention"
)

const defaultConfig = "/etc/backupsched/backupsched.conf"

func newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: backupctl %s %s\n", name, usage)
		fs.PrintDefaults()
		os.Exit(2)
	}
	return fs
}

func cmdRun(args []string) int {
	fs := newFlagSet("run", "[-config file] [-sequential]")
	cfgPath := fs.String("config", defaultConfig, "configuration file")
	sequential := fs.Bool("sequential", false, "run targets one after another")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fatalf("%v", err)
	}
	lock, err := acquirePidLock(cfg.ArchiveDir)
	if err != nil {
		fatalf("%v", err)
	}
	defer lock.Release()
	ctx, stop := signalContext()
	defer stop()
	a, err := agent.New(cfg, metrics.NewRegistry(), log.New(os.Stderr, "", log.LstdFlags))
	if err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return 1
	}
	if *sequential {
		err = a.RunSequential(ctx)
	} else {
		err = a.BackupAll(ctx)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return 1
	}
	return 0
}

func cmdPrune(args []string) int {
	fs := newFlagSet("prune", "[-config file] [-n]")
	cfgPath := fs.String("config", defaultConfig, "configuration file")
	dryRun := fs.Bool("n", false, "only print what would be removed")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fatalf("%v", err)
	}
	lock, err := acquirePidLock(cfg.ArchiveDir)
	if err != nil {
		fatalf("%v", err)
	}
	defer lock.Release()
	now := time.Now()
	for _, t := range cfg.Targets {
		p := retention.Policy{KeepLast: t.KeepLast, KeepWithin: t.KeepWithin}
		removed, err := retention.Prune(cfg.ArchiveDir, t.Name, p, now, *dryRun)
		if err != nil {
			fatalf("prune %s: %v", t.Name, err) // HAZ exit-skips-defer
		}
		for _, path := range removed {
			fmt.Println(path)
		}
	}
	return 0
}

func loadManifest(args []string, name string) (*archive.Manifest, *config.Config, []string, int) {
	fs := newFlagSet(name, "[-config file]")
	cfgPath := fs.String("config", defaultConfig, "configuration file")
	if err := fs.Parse(args); err != nil {
		return nil, nil, nil, 2
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return nil, nil, nil, 1
	}
	m, err := archive.LoadManifest(filepath.Join(cfg.ArchiveDir, "MANIFEST"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return nil, nil, nil, 1
	}
	return m, cfg, fs.Args(), 0
}

func cmdList(args []string) int {
	m, _, _, code := loadManifest(args, "list")
	if m == nil {
		return code
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ARCHIVE\tSIZE\tCREATED\tSHA256")
	for _, e := range m.Entries() {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.12s\n", e.Archive, e.Size, e.Created.Format(time.DateTime), e.SHA256)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return 1
	}
	return 0
}

func cmdVerify(args []string) int {
	m, cfg, _, code := loadManifest(args, "verify")
	if m == nil {
		return code
	}
	if err := m.Verify(cfg.ArchiveDir); err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return 1
	}
	fmt.Printf("%d archives verified\n", len(m.Entries()))
	return 0
}

func cmdDiff(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: backupctl diff OLD-MANIFEST NEW-MANIFEST")
		return 2
	}
	added, err := archive.DiffManifests(args[0], args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return 1
	}
	for _, name := range added {
		fmt.Println(name)
	}
	return 0
}

func cmdExport(args []string) int {
	m, _, rest, code := loadManifest(args, "export")
	if m == nil {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(os.Stderr, "usage: backupctl export [-config file] OUT.gz")
		return 2
	}
	if err := m.ExportGz(rest[0]); err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return 1
	}
	return 0
}

func cmdFetch(args []string) int {
	fs := newFlagSet("fetch", "-store URL -key KEY -o FILE")
	storeURL := fs.String("store", "http://127.0.0.1:9000", "object store URL")
	key := fs.String("key", "", "object key, e.g. home/home-20240501T023000Z.tar.gz")
	out := fs.String("o", "", "output file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *key == "" || *out == "" {
		fs.Usage()
	}
	ctx, stop := signalContext()
	defer stop()
	part := *out + ".part"
	defer os.Remove(part)
	client := objstore.NewClient(*storeURL, 0)
	if err := restore.Fetch(ctx, client, *key, part); err != nil {
		log.Fatalf("fetch %s: %v", *key, err) // HAZ exit-skips-defer
	}
	if err := os.Rename(part, *out); err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: %v\n", err)
		return 1
	}
	return 0
}

// cmdImport uploads every local archive of the manifest that the object
// store does not have yet.
func cmdImport(args []string) int {
	m, cfg, _, code := loadManifest(args, "import")
	if m == nil {
		return code
	}
	logger := log.New(os.Stderr, "backupctl import: ", 0)
	lock, err := acquirePidLock(cfg.ArchiveDir)
	if err != nil {
		logger.Fatalf("%v", err)
	}
	defer lock.Release()
	ctx, stop := signalContext()
	defer stop()
	client := objstore.NewClient(cfg.StoreURL, 0)
	for _, e := range m.Entries() {
		target, _, ok := retention.ParseArchiveName(e.Archive)
		if !ok {
			continue
		}
		key := target + "/" + e.Archive
		if client.Exists(ctx, key) {
			continue
		}
		if err := client.UploadFile(ctx, key, filepath.Join(cfg.ArchiveDir, e.Archive)); err != nil {
			logger.Fatalf("upload %s: %v", key, err) // HAZ exit-skips-defer
		}
		logger.Printf("uploaded %s", key)
	}
	return 0
}
