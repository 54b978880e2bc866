// Command restore extracts a snapshot archive, fetching it from the object
// store first when -key is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"syscall"

	"example.com/backupsched/internal/objstore"
	"example.com/backupsched/internal/restore"
)

type options struct {
	archive  string
	key      string
	store    string
	dest     string
	progress bool
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.archive, "archive", "", "local archive to extract")
	flag.StringVar(&o.key, "key", "", "object key to fetch instead of -archive")
	flag.StringVar(&o.store, "store", "http://127.0.0.1:9000", "object store URL")
	flag.StringVar(&o.dest, "dest", "", "directory to extract into")
	flag.BoolVar(&o.progress, "progress", false, "log progress")
	flag.Parse()
	if o.dest == "" || (o.archive == "") == (o.key == "") {
		flag.Usage()
		os.Exit(2)
	}
	return o
}

func main() {
	o := parseFlags()
	n, err := run(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "restore: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("restored %d files into %s\n", n, o.dest)
}

func run(o options) (int, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	archive := o.archive
	if o.key != "" {
		tmp, err := os.MkdirTemp("", "restore-")
		if err != nil {
			return 0, err
		}
		archive = filepath.Join(tmp, path.Base(o.key))
		defer os.Remove(tmp)
		defer os.Remove(archive)
		client := objstore.NewClient(o.store, 0)
		if err := restore.Fetch(ctx, client, o.key, archive); err != nil {
			return 0, fmt.Errorf("fetch %s: %w", o.key, err)
		}
	}
	if ctx.Err() != nil {
		return 0, errors.New("interrupted")
	}
	return restore.Run(restore.Options{
		Archive:  archive,
		Dest:     o.dest,
		Progress: o.progress,
		Log:      log.New(os.Stderr, "restore: ", log.LstdFlags),
	})
}
