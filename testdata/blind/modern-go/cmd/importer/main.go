// Command importer loads a manifest of files into the store.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"example.com/moderngo/store"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "importer: "+format+"\n", args...)
	os.Exit(1)
}

// lockDir creates dir/.lock exclusively and returns the func that removes it.
func lockDir(dir string) (func(), error) {
	p := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return func() { os.Remove(p) }, nil
}

// loadManifest reads the list of files to import.
func loadManifest(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names, sc.Err()
}

// reindex rewrites the store index under the directory lock.
func reindex(dataDir string) {
	unlock, err := lockDir(dataDir)
	if err != nil {
		log.Fatalf("lock: %v", err) // ok: no defer registered yet
	}
	defer unlock()
	st, err := store.Open(dataDir)
	if err != nil {
		log.Fatalf("open: %v", err) // HAZ exit-skips-defer
	}
	if err := st.Close(); err != nil {
		log.Printf("reindex: %v", err)
	}
}

func run(dataDir, manifest string) error {
	st, err := store.Open(dataDir)
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "importer: close:", err)
		}
	}()
	names, err := loadManifest(manifest)
	if err != nil {
		return err
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			fatalf("read %s: %v", name, err) // HAZ exit-skips-defer
		}
		if err := st.CommitClean(strings.ReplaceAll(name, "/", "_"), data); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	dataDir := flag.String("data", "data", "data directory")
	manifest := flag.String("manifest", "MANIFEST", "list of files")
	doReindex := flag.Bool("reindex", false, "only rewrite the index")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: importer [-data dir] [-manifest file] [-reindex]")
		os.Exit(2) // ok: inside a function literal
	}
	flag.Parse()
	if *doReindex {
		reindex(*dataDir)
		return
	}
	if err := run(*dataDir, *manifest); err != nil && !errors.Is(err, os.ErrNotExist) {
		log.Fatal(err) // ok: main has no defers
	}
}
