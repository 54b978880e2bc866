// Command migrate applies schema files in order.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
)

func apply(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		log.Printf("applying %s (%d bytes)", filepath.Base(f), len(b))
	}
	return nil
}

func main() {
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: migrate DIR")
		os.Exit(2) // ok: before any defer
	}
	dir := flag.Arg(0)

	code := 0
	defer func() {
		if r := recover(); r != nil {
			panic(r)
		}
		os.Exit(code) // ok: a deferred exit, registered first so it runs last
	}()

	lock := filepath.Join(dir, ".migrate.lock")
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		log.Print(err)
		code = 1
		return
	}
	defer os.Remove(lock)

	if err := apply(dir); err != nil {
		log.Print(err)
		code = 1
	}
}
