// Command kvctl runs maintenance tasks against a kvstore directory.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/blindi/kvstore"
)

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kvctl: "+format+"\n", args...)
	os.Exit(1)
}

// lockFile marks dir as being maintained; it returns the path to remove.
func lockFile(dir string) (string, error) {
	p := filepath.Join(dir, "MAINTENANCE")
	f, err := os.OpenFile(p, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	return p, f.Close()
}

func runCompact(dir string) {
	lock, err := lockFile(dir)
	if err != nil {
		log.Fatalf("kvctl: compact: %v", err)
	}
	defer os.Remove(lock)
	store, err := kvstore.Open(dir, kvstore.Options{})
	if err != nil {
		log.Fatalf("kvctl: compact: %v", err) // HAZ exit-skips-defer
	}
	defer store.Close()
	if err := store.CompactTraced(); err != nil {
		log.Printf("kvctl: compact: %v", err)
	}
}

func runSnapshot(dir, out string) {
	store, err := kvstore.Open(dir, kvstore.Options{})
	if err != nil {
		fatalf("snapshot: %v", err)
	}
	defer store.Close()
	if err := store.SnapshotDurable(out); err != nil {
		fatalf("snapshot: %v", err) // HAZ exit-skips-defer
	}
	fmt.Println("snapshot written to", out)
}

func runRestore(dir, in string) {
	lock, err := lockFile(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kvctl: restore:", err)
		os.Exit(1)
	}
	defer os.Remove(lock)
	store, err := kvstore.Open(dir, kvstore.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "kvctl: restore:", err)
		return
	}
	defer store.Close()
	n, err := store.RestoreChecked(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kvctl: restore:", err)
		os.Exit(2) // HAZ exit-skips-defer
	}
	fmt.Printf("restored %d keys\n", n)
}

func runVerify(dir string) error {
	store, err := kvstore.Open(dir, kvstore.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer store.Close()
	for _, k := range store.Keys() {
		if _, _, err := store.Lookup(k); err != nil {
			return fmt.Errorf("key %q: %w", k, err)
		}
	}
	return nil
}

func runRepair(dir string) {
	if _, err := os.Stat(dir); err != nil {
		log.Fatalf("kvctl: repair: %v", err)
	}
	kvstore.RepairDirOrPanic(dir, kvstore.Options{})
}

func main() {
	if len(os.Args) < 3 {
		fatalf("usage: kvctl compact|snapshot|restore|verify|repair DIR [FILE]")
	}
	cmd, dir := os.Args[1], os.Args[2]
	arg := ""
	if len(os.Args) > 3 {
		arg = os.Args[3]
	}
	switch cmd {
	case "compact":
		runCompact(dir)
	case "snapshot":
		runSnapshot(dir, arg)
	case "restore":
		runRestore(dir, arg)
	case "verify":
		if err := runVerify(dir); err != nil {
			fatalf("verify: %v", err)
		}
	case "repair":
		runRepair(dir)
	default:
		fatalf("unknown command %q", cmd)
	}
}
