// Command opctl is the operator's admin CLI: it dumps and watches objects,
// garbage-collects orphaned storage and force-removes stuck finalizers.
package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"example.com/operator/api"
	"example.com/operator/controller"
	"example.com/operator/finalizer"
	"example.com/operator/informer"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: opctl dump|watch|gc|force-finalize|restore [flags]")
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	logger := log.New(os.Stderr, "opctl: ", 0)
	client := api.NewFakeClient(demoObjects()...)
	var err error
	switch os.Args[1] {
	case "dump":
		err = dump(client, os.Args[2:])
	case "watch":
		err = watch(client)
	case "gc":
		gc(logger, os.Args[2:])
	case "force-finalize":
		forceFinalize(client, os.Args[2:])
	case "restore":
		restore(os.Args[2:])
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		logger.Fatal(err)
	}
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "opctl: "+format+"\n", args...)
	os.Exit(1)
}

// dump writes every object as one JSON document per line to -o.
func dump(client api.Client, args []string) (err error) {
	fs := flag.NewFlagSet("dump", flag.ContinueOnError)
	out := fs.String("o", "-", "output file, - for stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	objs, err := client.List(ctx)
	if err != nil {
		return err
	}
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-ineffective-return defer-close-unchecked-write
		w = f
	}
	enc := json.NewEncoder(w)
	for _, o := range objs {
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	return nil
}

// dumpTo is dump for callers that already hold the output file; the close
// error is reported through the named result.
func dumpTo(ctx context.Context, client api.Client, path string) (err error) {
	objs, err := client.List(ctx)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(f)
	for _, o := range objs {
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	return nil
}

// watch prints change events until interrupted.
func watch(client api.Client) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	enc := json.NewEncoder(os.Stdout)
	err := informer.Stream(ctx, client, func(ev api.Event) {
		_ = enc.Encode(map[string]any{"type": ev.Type, "key": ev.Object.Meta.Key(), "rv": ev.Object.Meta.ResourceVersion})
	})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// gc removes storage directories of objects that no longer exist. A lock
// file keeps two gc runs from racing each other and the operator.
func gc(logger *log.Logger, args []string) {
	fs := flag.NewFlagSet("gc", flag.ExitOnError)
	root := fs.String("root", "/var/lib/cluster-operator", "storage root")
	dryRun := fs.Bool("n", false, "only print what would be removed")
	_ = fs.Parse(args)

	lock := *root + "/.gc.lock"
	if err := acquireLockFile(lock); err != nil {
		logger.Fatalf("gc: %v", err)
	}
	defer releaseLockFile(lock)

	orphans, err := findOrphans(*root)
	if err != nil {
		logger.Fatalf("gc: %v", err) // HAZ exit-skips-defer
	}
	for _, dir := range orphans {
		if *dryRun {
			fmt.Println("would remove", dir)
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			logger.Printf("gc: %v", err)
		}
	}
}

// forceFinalize strips the operator's finalizer from an object whose
// cleanup is stuck. It takes the gc lock so that no gc runs meanwhile.
func forceFinalize(client api.Client, args []string) {
	if len(args) != 1 {
		die("usage: opctl force-finalize NAMESPACE/NAME")
	}
	key := args[0]
	lock := "/var/lib/cluster-operator/.gc.lock"
	if err := acquireLockFile(lock); err != nil {
		die("%v", err)
	}
	defer releaseLockFile(lock)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	obj, err := client.Get(ctx, key)
	if err != nil {
		die("get %s: %v", key, err) // HAZ exit-skips-defer
	}
	if !obj.Meta.RemoveFinalizer(controller.FinalizerName) {
		fmt.Printf("%s has no %s finalizer\n", key, controller.FinalizerName)
		return
	}
	if _, err := client.Update(ctx, obj); err != nil {
		fmt.Fprintf(os.Stderr, "opctl: update %s: %v\n", key, err)
		return
	}
	fmt.Printf("removed finalizer from %s\n", key)
}

// restore unpacks an archive written by the finalizer back into a storage
// directory, after checking that the archive is readable.
func restore(args []string) {
	if len(args) != 2 {
		die("usage: opctl restore ARCHIVE DIR")
	}
	archive, dir := args[0], args[1]
	lock := filepath.Join(filepath.Dir(dir), ".gc.lock")
	if err := acquireLockFile(lock); err != nil {
		die("%v", err)
	}
	defer releaseLockFile(lock)

	n, err := finalizer.VerifyArchive(archive)
	if err != nil {
		fmt.Fprintf(os.Stderr, "opctl: %s is damaged: %v\n", archive, err)
		syscall.Exit(3) // HAZ exit-skips-defer
	}
	if err := extract(archive, dir); err != nil {
		fmt.Fprintf(os.Stderr, "opctl: restore: %v\n", err)
		return
	}
	fmt.Printf("restored %d files into %s\n", n, dir)
}

// extract unpacks a tar.gz into dir, refusing entries that would escape it.
func extract(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(hdr.Name))
		if !strings.HasPrefix(target, filepath.Clean(dir)+string(filepath.Separator)) && target != filepath.Clean(dir) {
			return fmt.Errorf("archive entry %q escapes %s", hdr.Name, dir)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o750); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := extractFile(tr, target, hdr.FileInfo().Mode().Perm()); err != nil {
				return err
			}
		}
	}
}

// extractFile writes r to a new file at path; the close error is returned.
func extractFile(r io.Reader, path string, perm os.FileMode) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, r)
	return err
}

// acquireLockFile creates path exclusively and writes our pid into it.
func acquireLockFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists: another run is in progress", path)
		}
		return err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return err
	}
	return f.Close()
}

func releaseLockFile(path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "opctl: removing %s: %v\n", path, err)
	}
}

// findOrphans lists storage directories root/NS/NAME that have no marker
// of a live object.
func findOrphans(root string) ([]string, error) {
	namespaces, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var orphans []string
	for _, ns := range namespaces {
		if !ns.IsDir() || ns.Name()[0] == '.' {
			continue
		}
		names, err := os.ReadDir(root + "/" + ns.Name())
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			dir := root + "/" + ns.Name() + "/" + n.Name()
			if _, err := os.Stat(dir + "/config/cluster.json"); errors.Is(err, os.ErrNotExist) {
				orphans = append(orphans, dir)
			}
		}
	}
	return orphans, nil
}

func demoObjects() []*api.Cluster {
	return []*api.Cluster{
		{Meta: api.ObjectMeta{Namespace: "demo", Name: "pg", Finalizers: []string{controller.FinalizerName}}, Spec: api.ClusterSpec{Replicas: 3, Version: "16.2"}},
		{Meta: api.ObjectMeta{Namespace: "demo", Name: "redis"}, Spec: api.ClusterSpec{Replicas: 1, Version: "7.2"}},
	}
}
