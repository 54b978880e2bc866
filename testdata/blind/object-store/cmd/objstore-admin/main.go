// Command objstore-admin is the operator's tool for offline maintenance of
// a node's data directory and for quick status checks of a running node.
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/scrub"
	"example.com/objstore/internal/store"
)

func main() {
	log.SetFlags(0)
	code := 0
	defer func() { os.Exit(code) }()
	if len(os.Args) < 2 {
		usage()
		code = 2
		return
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "export":
		err = cmdExport(args)
	case "inventory":
		cmdInventory(args)
	case "verify":
		err = cmdVerify(args)
	case "status":
		err = cmdStatus(args)
	case "buckets":
		err = cmdBuckets(args)
	case "usage":
		err = cmdUsage(args)
	case "fsck":
		err = cmdFsck(args)
	default:
		usage()
		code = 2
		return
	}
	if err != nil {
		log.Printf("objstore-admin %s: %v", os.Args[1], err)
		code = 1
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage: objstore-admin <command> [flags]

commands:
  export     write a bucket manifest (gzip JSON lines)
  inventory  write a bucket inventory (CSV)
  verify     compare a manifest with the local data directory
  status     query a running node's health endpoint
  buckets    list buckets with usage
  usage      print bucket usage as CSV
  fsck       scrub a stopped node's data directory and print the counters`)
}

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "objstore-admin: "+format+"\n", args...)
	os.Exit(1)
}

func openStore(root string) (*store.Store, error) {
	return store.Open(root, obs.NewRegistry(), log.New(io.Discard, "", 0))
}

func cmdExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	root := fs.String("root", "/var/lib/objstore", "data directory")
	bucket := fs.String("bucket", "", "bucket to export")
	out := fs.String("out", "manifest.ndjson.gz", "output file")
	_ = fs.Parse(args)
	st, err := openStore(*root)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.ExportManifest(*bucket, *out); err != nil {
		return err
	}
	fmt.Println("wrote", *out)
	return nil
}

func cmdInventory(args []string) {
	fs := flag.NewFlagSet("inventory", flag.ExitOnError)
	root := fs.String("root", "/var/lib/objstore", "data directory")
	bucket := fs.String("bucket", "", "bucket to list")
	out := fs.String("out", "inventory.csv", "output file")
	_ = fs.Parse(args)
	st, err := openStore(*root)
	if err != nil {
		fatalf("inventory: %v", err)
	}
	defer st.Close()
	if err := st.SaveInventory(*bucket, *out); err != nil {
		fatalf("inventory of %s: %v", *bucket, err) // HAZ exit-skips-defer
	}
	fmt.Println("wrote", *out)
}

func cmdVerify(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	root := fs.String("root", "/var/lib/objstore", "data directory")
	manifest := fs.String("manifest", "", "manifest exported by a peer")
	_ = fs.Parse(args)
	remote, err := store.ImportManifest(*manifest)
	if err != nil {
		return err
	}
	if len(remote) == 0 {
		fmt.Println("manifest is empty")
		return nil
	}
	st, err := openStore(*root)
	if err != nil {
		return err
	}
	defer st.Close()
	local, err := st.ListObjects(remote[0].Bucket, "", 0)
	if err != nil {
		return err
	}
	missing, stale := store.DiffManifest(remote, local)
	for _, m := range missing {
		fmt.Printf("missing %s/%s (%d bytes)\n", m.Bucket, m.Key, m.Size)
	}
	for _, s := range stale {
		fmt.Printf("stale   %s/%s\n", s.Bucket, s.Key)
	}
	fmt.Printf("%d missing, %d stale of %d\n", len(missing), len(stale), len(remote))
	return nil
}

func cmdStatus(args []string) error {
	fs := flag.NewFlagSet("status", flag.ExitOnError)
	addr := fs.String("addr", "http://127.0.0.1:9000", "node base URL")
	_ = fs.Parse(args)
	start := time.Now()
	resp, _ := http.Get(*addr + "/healthz")
	elapsed := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return err
	}
	fmt.Printf("%s: %s %q in %s\n", *addr, resp.Status, body, elapsed.Round(time.Millisecond))
	return nil
}

func cmdBuckets(args []string) error {
	fs := flag.NewFlagSet("buckets", flag.ExitOnError)
	root := fs.String("root", "/var/lib/objstore", "data directory")
	_ = fs.Parse(args)
	st, err := openStore(*root)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, name := range st.Buckets().Names() {
		m, err := st.Buckets().Meta(name)
		if err != nil {
			return err
		}
		fmt.Printf("%-30s %10d objects %14d bytes\n", name, m.Objects, m.UsedBytes)
	}
	return nil
}

func cmdUsage(args []string) error {
	fs := flag.NewFlagSet("usage", flag.ExitOnError)
	root := fs.String("root", "/var/lib/objstore", "data directory")
	_ = fs.Parse(args)
	st, err := openStore(*root)
	if err != nil {
		return err
	}
	defer st.Close()
	cw := csv.NewWriter(os.Stdout)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"bucket", "objects", "used_bytes", "quota_bytes"}); err != nil {
		return err
	}
	for _, name := range st.Buckets().Names() {
		m, err := st.Buckets().Meta(name)
		if err != nil {
			return err
		}
		row := []string{name, strconv.FormatInt(m.Objects, 10), strconv.FormatInt(m.UsedBytes, 10), strconv.FormatInt(m.QuotaBytes, 10)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

func cmdFsck(args []string) error {
	fs := flag.NewFlagSet("fsck", flag.ExitOnError)
	root := fs.String("root", "/var/lib/objstore", "data directory")
	workers := fs.Int("workers", 2, "buckets checked in parallel")
	_ = fs.Parse(args)
	metrics := obs.NewRegistry()
	st, err := store.Open(*root, metrics, log.New(io.Discard, "", 0))
	if err != nil {
		return err
	}
	defer st.Close()
	defer metrics.Snapshot().WriteText(os.Stdout) // HAZ defer-call-chain
	sc := scrub.New(st, nil, metrics, log.New(os.Stderr, "fsck: ", 0), 0, *workers, filepath.Join(*root, "quarantine"))
	rep, err := sc.RunOnce(context.Background())
	if err != nil {
		return err
	}
	fmt.Printf("%d objects in %d buckets checked, %d corrupt, %d errors\n", rep.Scanned, rep.Buckets, rep.Corrupt, rep.Errors)
	return nil
}
