// Command fwctl is the operator's firmware tool: verify images, fetch releases,
// apply an image to the slots, and bundle logs for support.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"example.com/iotagent/internal/firmware"
	"example.com/iotagent/internal/telemetry"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run dispatches to a subcommand and returns the exit status; the deferred
// cleanups of the subcommands all run before main exits.
func run(args []string) int {
	if len(args) == 0 {
		usage()
		return 2
	}
	switch args[0] {
	case "verify":
		return cmdVerify(args[1:])
	case "fetch":
		return cmdFetch(args[1:])
	case "apply":
		return cmdApply(args[1:])
	case "bundle":
		return cmdBundle(args[1:])
	case "pack":
		return cmdPack(args[1:])
	}
	usage()
	return 2
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: fwctl verify|fetch|apply|bundle|pack [flags]")
}

// die prints an error and exits; it never returns.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fwctl: "+format+"\n", args...)
	os.Exit(1)
}

func cmdVerify(args []string) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	sumsFile := fs.String("sums", "SHA256SUMS", "checksum file")
	dir := fs.String("dir", ".", "image directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	data, err := os.ReadFile(*sumsFile)
	if err != nil {
		die("verify: %v", err)
	}
	sums, err := firmware.ParseSums(string(data))
	if err != nil {
		die("verify: %v", err)
	}
	errs := firmware.VerifyEach(*dir, sums)
	for _, err := range errs {
		fmt.Fprintln(os.Stderr, err)
	}
	if len(errs) > 0 {
		return 1
	}
	fmt.Printf("%d images ok\n", len(sums))
	return 0
}

func cmdFetch(args []string) int {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	server := fs.String("server", "https://updates.example.com", "update server")
	version := fs.String("version", "", "release to fetch")
	dir := fs.String("dir", ".", "download directory")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: fwctl fetch -version V [-server URL] [-dir D]")
		os.Exit(2)
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *version == "" {
		fs.Usage()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	d := firmware.NewDownloader(nil, *server, *dir, true)
	m, err := d.Manifest(ctx, *version)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fwctl:", err)
		return 1
	}
	path, err := d.FetchShared(ctx, m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fwctl:", err)
		return 1
	}
	fmt.Println(path)
	return 0
}

// cmdApply stages an image next to the slots, verifies it and installs it.
func cmdApply(args []string) int {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	image := fs.String("image", "", "firmware image")
	want := fs.String("sha256", "", "expected checksum")
	slotsDir := fs.String("slots", "/boot/slots", "slot directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *image == "" || *want == "" {
		die("apply: -image and -sha256 are required")
	}
	staged := filepath.Join(*slotsDir, "staged.img")
	if err := firmware.CopyFile(staged, *image); err != nil {
		fmt.Fprintln(os.Stderr, "fwctl:", err)
		return 1
	}
	defer os.Remove(staged)
	if err := firmware.VerifyChecksum(staged, *want); err != nil {
		die("apply: %v", err) // HAZ exit-skips-defer
	}
	if err := firmware.NewSlots(*slotsDir).Install(staged); err != nil {
		fmt.Fprintln(os.Stderr, "fwctl:", err)
		return 1
	}
	fmt.Println("installed; reboot to activate")
	return 0
}

func cmdBundle(args []string) int {
	fs := flag.NewFlagSet("bundle", flag.ContinueOnError)
	out := fs.String("o", "support.tar.gz", "output file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		die("bundle: no files given")
	}
	if err := telemetry.Bundle(*out, fs.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "fwctl:", err)
		return 1
	}
	return 0
}

// cmdPack compresses rotated logs one by one; a failure stops the batch with the
// temporary output removed.
func cmdPack(args []string) int {
	status := 0
	for _, src := range args {
		dst := src + ".gz"
		if err := telemetry.GzipFile(dst, src); err != nil {
			fmt.Fprintln(os.Stderr, "fwctl:", err)
			os.Remove(dst)
			status = 1
			break
		}
		if err := os.Remove(src); err != nil {
			fmt.Fprintln(os.Stderr, "fwctl:", err)
			status = 1
		}
	}
	return status
}
