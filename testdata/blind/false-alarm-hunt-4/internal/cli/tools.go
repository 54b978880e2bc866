package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"os"
	"time"
)

// ForceExitAfter kills the process if shutdown takes longer than d. The
// exit sits in the timer's function literal.
func ForceExitAfter(d time.Duration) (cancel func() bool) {
	t := time.AfterFunc(d, func() {
		log.Printf("shutdown took longer than %v, exiting", d)
		os.Exit(3)
	})
	return t.Stop
}

// Digest prints the SHA-256 of a file; argument errors exit before the
// file is opened and deferred.
func Digest(args []string) {
	if len(args) != 1 {
		log.Fatal("usage: digest FILE") // ok: nothing deferred yet
	}
	f, err := os.Open(args[0])
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		log.Printf("digest %s: %v", args[0], err)
		return
	}
	fmt.Println(hex.EncodeToString(h.Sum(nil)), args[0])
}

// Mode selects a subcommand; unknown modes exit in the default arm, before
// any defer is set up in the arms that have one.
func Mode(name string, args []string) int {
	switch name {
	case "digest":
		Digest(args)
		return 0
	case "count":
		return Run(context.Background(), os.Stdin, os.Stdout, args)
	case "version":
		fmt.Println("tool 1.4.2")
		return 0
	default:
		fmt.Fprintf(os.Stderr, "unknown mode %q\n", name)
		os.Exit(2)
	}
	return 0
}

// Compare hashes two files, each inside its own closure, then exits with
// a status like cmp(1).
func Compare(a, b string) {
	sum := func(path string) (string, error) {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	ha, err := sum(a)
	if err != nil {
		log.Fatal(err) // ok: the defer belonged to sum and has run
	}
	hb, err := sum(b)
	if err != nil {
		log.Fatal(err)
	}
	if ha != hb {
		os.Exit(1)
	}
}
