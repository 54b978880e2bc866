package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"strings"
	"time"

	"example.com/up8/internal/archive"
	"example.com/up8/internal/fetch"
	"example.com/up8/internal/fsutil"
)

// run dispatches to the subcommand cmd.
func run(cmd string, args []string) error {
	switch cmd {
	case "compress":
		return cmdCompress(args)
	case "pack":
		return cmdPack(args)
	case "verify":
		return cmdVerify(args)
	case "fetch":
		return cmdFetch(args)
	default:
		usage()
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func cmdCompress(args []string) error {
	fs := flag.NewFlagSet("compress", flag.ContinueOnError)
	out := fs.String("o", "", "output file (default: input + .gz)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("need exactly one input file")
	}
	dst := *out
	if dst == "" {
		dst = fs.Arg(0) + ".gz"
	}
	return archive.CompressFile(dst, fs.Arg(0))
}

func cmdPack(args []string) error {
	fs := flag.NewFlagSet("pack", flag.ContinueOnError)
	out := fs.String("o", "", "output .tar.gz")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" {
		return errors.New("usage: pack -o out.tar.gz dir")
	}
	return archive.PackDir(*out, fs.Arg(0))
}

func cmdVerify(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: verify dir")
	}
	dir := args[0]
	m, err := archive.ReadManifestCompat(dir)
	if err != nil {
		return err
	}
	bad, err := archive.Verify(archive.DirSource(dir), m)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d files do not match the manifest: %s", len(bad), strings.Join(bad, ", "))
	}
	log.Printf("release %s: %d files ok", m.Release, len(m.Files))
	return nil
}

func cmdFetch(args []string) error {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	out := fs.String("o", "", "output file (default: base name of path)")
	mirrors := fs.String("mirrors", "https://mirror-a.example.com,https://mirror-b.example.com", "comma-separated mirror URLs")
	timeout := fs.Duration("timeout", time.Minute, "overall timeout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: fetch [-o out] path")
	}
	path := fs.Arg(0)
	dst := *out
	if dst == "" {
		dst = path[strings.LastIndex(path, "/")+1:]
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	c := fetch.New(strings.Split(*mirrors, ","), log.Default())
	body, _, err := c.FetchWithSum(ctx, path)
	if err != nil {
		return err
	}
	return fsutil.WriteAtomic(dst, body)
}
