package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/registry/internal/archive"
	"example.com/registry/internal/upstream"
)

// cmdVerify checks a module zip or an npm-style tarball.
func cmdVerify(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: regctl verify <archive> <module@version>")
		return 2
	}
	path, prefix := args[0], args[1]
	var err error
	switch {
	case strings.HasSuffix(path, ".zip"):
		err = archive.VerifyModuleZip(path, prefix+"/", archive.DefaultLimits)
	case strings.HasSuffix(path, ".tgz"), strings.HasSuffix(path, ".tar.gz"):
		_, err = archive.VerifyTarGz(path, archive.DefaultLimits)
	default:
		err = fmt.Errorf("%s: unknown archive type", path)
	}
	if err != nil {
		fmt.Fprintln(stderr, "regctl: verify:", err)
		return 1
	}
	fmt.Fprintln(stdout, "ok")
	return 0
}

// collectFiles reads every regular file under dir, with slash-separated
// names relative to dir.
func collectFiles(dir string) ([]archive.File, error) {
	var files []archive.File
	err := filepath.WalkDir(dir, func(path string, de fs.DirEntry, err error) error {
		if err != nil || !de.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, archive.File{Name: filepath.ToSlash(rel), Mode: 0o644, Data: data})
		return nil
	})
	return files, err
}

// cmdPack builds a module zip from a directory. The zip is written next to
// its destination and renamed into place once it verifies.
func cmdPack(args []string, stdout, stderr io.Writer) int {
	if len(args) != 3 {
		fmt.Fprintln(stderr, "usage: regctl pack <dir> <module@version> <out.zip>")
		return 2
	}
	dir, prefix, out := args[0], args[1]+"/", args[2]
	files, err := collectFiles(dir)
	if err != nil {
		fmt.Fprintln(stderr, "regctl: pack:", err)
		return 1
	}
	tmp := out + ".partial"
	defer os.Remove(tmp)
	if err := archive.PackModuleZip(tmp, prefix, files); err != nil {
		fmt.Fprintln(stderr, "regctl: pack:", err)
		return 1
	}
	if err := archive.VerifyModuleZip(tmp, prefix, archive.DefaultLimits); err != nil {
		log.Fatalf("regctl: pack produced an invalid zip: %v", err) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp, out); err != nil {
		fmt.Fprintln(stderr, "regctl: pack:", err)
		return 1
	}
	fmt.Fprintln(stdout, out)
	return 0
}

// cmdPush uploads a file as a blob and prints its location.
func cmdPush(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("push", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", defaultServer(), "registry URL")
	timeout := fs.Duration("timeout", 5*time.Minute, "upload deadline")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: regctl push [-server URL] <file>")
		return 2
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "regctl:", err)
		return 1
	}
	defer f.Close()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, *server+"/blobs", f)
	if err != nil {
		fmt.Fprintln(stderr, "regctl:", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "regctl: push:", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		fmt.Fprintf(stderr, "regctl: push: %s: %s\n", resp.Status, strings.TrimSpace(string(msg)))
		return 1
	}
	fmt.Fprintln(stdout, resp.Header.Get("Location"))
	return 0
}

// cmdFetch downloads a module zip into a scratch directory, verifies it and,
// with -keep, leaves it there for inspection.
func cmdFetch(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", defaultServer(), "registry URL")
	keep := fs.Bool("keep", false, "keep the downloaded zip")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "usage: regctl fetch [-server URL] [-keep] <module> <version>")
		return 2
	}
	mod, ver := fs.Arg(0), fs.Arg(1)

	dir, err := os.MkdirTemp("", "regctl-fetch-")
	if err != nil {
		fmt.Fprintln(stderr, "regctl:", err)
		return 1
	}
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	if !*keep {
		cleanup = func() { os.RemoveAll(dir) }
	}

	zipPath := filepath.Join(dir, "module.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		fmt.Fprintln(stderr, "regctl:", err)
		return 1
	}
	c := upstream.New(*server, nil, time.Minute, log.New(stderr, "", 0))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	_, err = c.Download(ctx, "dl/"+mod+"/@v/"+ver+".zip", f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "regctl: fetch:", err)
		return 1
	}
	if err := archive.VerifyModuleZip(zipPath, mod+"@"+ver+"/", archive.DefaultLimits); err != nil {
		fmt.Fprintln(stderr, "regctl: fetch:", err)
		return 1
	}
	fmt.Fprintln(stdout, zipPath)
	return 0
}

// cmdList prints "module version" lines for the given modules.
func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", defaultServer(), "registry URL")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	c := upstream.New(*server+"/dl", nil, 30*time.Second, log.New(stderr, "", 0))
	w := bufio.NewWriter(stdout)
	defer w.Flush() // HAZ defer-close-unchecked-write
	status := 0
	for _, mod := range fs.Args() {
		versions, err := c.ListVersions(context.Background(), mod)
		if err != nil {
			fmt.Fprintf(stderr, "regctl: %s: %v\n", mod, err)
			status = 1
			continue
		}
		for _, v := range versions {
			fmt.Fprintf(w, "%s %s\n", mod, v)
		}
	}
	return status
}
