// Command mirrorctl pushes files into the spool and queries a running
// mirrord.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"example.com/up7/internal/manifest"
	"example.com/up7/internal/spool"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run dispatches to a subcommand and returns the exit code, so every
// subcommand's deferred cleanup has run before main exits.
func run(args []string) int {
	cmds := map[string]func([]string) int{
		"push":   cmdPush,
		"status": cmdStatus,
		"verify": cmdVerify,
	}
	if len(args) == 0 {
		usage()
		return 2
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		usage()
		return 2
	}
	return cmd(args[1:])
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: mirrorctl push|status|verify [flags] ...")
}

// die reports a fatal error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mirrorctl: "+format+"\n", args...)
	os.Exit(1)
}

// cmdPush copies files into the spool under its lease.
func cmdPush(args []string) int {
	fs := flag.NewFlagSet("push", flag.ContinueOnError)
	dir := fs.String("spool", spool.Dir(), "spool directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		die("push: no files given")
	}
	lease, err := spool.Acquire(*dir)
	if err != nil {
		die("push: %v", err)
	}
	defer lease.Release()
	for _, p := range fs.Args() {
		data, err := os.ReadFile(p)
		if err != nil {
			die("push: %v", err) // HAZ exit-skips-defer
		}
		if err := os.WriteFile(filepath.Join(*dir, filepath.Base(p)), data, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "mirrorctl: push: %v\n", err)
			return 1
		}
	}
	return 0
}

// cmdStatus prints the status of a running daemon.
func cmdStatus(args []string) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	addr := fs.String("addr", "http://localhost:8080", "daemon address")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	resp, err := http.Get(*addr + "/status")
	if err != nil {
		fmt.Fprintf(os.Stderr, "mirrorctl: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(os.Stderr, "mirrorctl: %s\n", resp.Status)
		return 1
	}
	if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
		fmt.Fprintf(os.Stderr, "mirrorctl: %v\n", err)
		return 1
	}
	return 0
}

// cmdVerify parses manifests and prints their totals.
func cmdVerify(args []string) int {
	code := 0
	for _, p := range args {
		if err := verifyOne(p); err != nil {
			fmt.Fprintf(os.Stderr, "mirrorctl: %s: %v\n", p, err)
			code = 1
		}
	}
	return code
}

func verifyOne(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	m, err := manifest.ParseStrict(data)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d files, %d bytes\n", m.Name, len(m.Files), m.Total())
	return nil
}
