package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"example.com/cloudstoragesdk/download"
	"example.com/cloudstoragesdk/multipart"
	"example.com/cloudstoragesdk/progress"
	"example.com/cloudstoragesdk/storage"
)

// cmdList lists every prefix given.
func cmdList(ctx context.Context, c *storage.Client, args []string) int {
	fs := flag.NewFlagSet("ls", flag.ContinueOnError)
	long := fs.Bool("l", false, "long listing")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	prefixes := fs.Args()
	if len(prefixes) == 0 {
		prefixes = []string{""}
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	for _, prefix := range prefixes {
		objs, err := c.ListObjects(ctx, prefix)
		if err != nil {
			fatalf("ls %s: %v", prefix, err) // HAZ exit-skips-defer
		}
		for _, o := range objs {
			if *long {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.LastModified.Format(time.DateTime), progress.FormatBytes(o.Size), o.ETag, o.Key)
			} else {
				fmt.Fprintln(tw, o.Key)
			}
		}
	}
	return 0
}

// cmdGet downloads KEY to DEST through a temporary file.
func cmdGet(ctx context.Context, c *storage.Client, args []string) int {
	if len(args) != 2 {
		usage()
		return 2
	}
	key, dst := args[0], args[1]
	tmp := dst + ".cloudstore-tmp"
	defer os.Remove(tmp)
	if err := c.DownloadToFile(ctx, key, tmp); err != nil {
		log.Fatalf("get %s: %v", key, err) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp, dst); err != nil {
		log.Printf("get %s: %v", key, err)
		return 1
	}
	return 0
}

// cmdPut uploads SRC as KEY, in parts when it is large.
func cmdPut(ctx context.Context, c *storage.Client, args []string) int {
	if len(args) != 2 {
		usage()
		return 2
	}
	src, key := args[0], args[1]
	f, err := os.Open(src)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		log.Print(err)
		return 1
	}
	events := make(chan progress.Event, 64)
	tracker := progress.NewTracker(info.Size())
	rctx, stopReport := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tracker.Consume(rctx, events)
	}()
	up := multipart.NewUploader(c, multipart.Options{PartSize: multipart.OptimalPartSize(info.Size()), Progress: events})
	etag, err := up.Upload(ctx, key, f, info.Size())
	stopReport()
	<-done
	if err != nil {
		log.Printf("put %s: %v", key, err)
		return 1
	}
	fmt.Printf("%s\t%s\t%s\n", key, etag, progress.FormatBytes(tracker.Snapshot().Done))
	return 0
}

// cmdCat writes KEY to stdout.
func cmdCat(ctx context.Context, c *storage.Client, args []string) int {
	if len(args) != 1 {
		usage()
		return 2
	}
	body, _, err := c.GetObject(ctx, args[0])
	if err != nil {
		log.Print(err)
		return 1
	}
	defer body.Close()
	if _, err := io.Copy(os.Stdout, body); err != nil {
		log.Print(err)
		return 1
	}
	return 0
}

// cmdRm deletes every key given.
func cmdRm(ctx context.Context, c *storage.Client, args []string) int {
	if len(args) == 0 {
		usage()
		return 2
	}
	if err := c.DeleteAll(ctx, args, 8); err != nil {
		log.Print(err)
		return 1
	}
	return 0
}

// cmdPresign prints a presigned GET URL.
func cmdPresign(ctx context.Context, c *storage.Client, args []string) int {
	fs := flag.NewFlagSet("presign", flag.ContinueOnError)
	ttl := fs.Duration("ttl", time.Hour, "validity")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return 2
	}
	u, err := storage.NewPresigner(c).PresignGet(ctx, fs.Arg(0), *ttl)
	if err != nil {
		log.Print(err)
		return 1
	}
	fmt.Println(u)
	return 0
}

// cmdExport prints a CSV inventory of PREFIX.
func cmdExport(ctx context.Context, c *storage.Client, args []string) int {
	prefix := ""
	if len(args) > 0 {
		prefix = args[0]
	}
	objs, err := c.ListObjects(ctx, prefix)
	if err != nil {
		log.Print(err)
		return 1
	}
	cw := csv.NewWriter(os.Stdout)
	cw.Write([]string{"key", "size", "etag", "last_modified"})
	for _, o := range objs {
		cw.Write([]string{o.Key, strconv.FormatInt(o.Size, 10), o.ETag, o.LastModified.Format(time.RFC3339)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		log.Print(err)
		return 1
	}
	return 0
}

// cmdVerify downloads KEY into a scratch directory and checks its SHA-256.
func cmdVerify(ctx context.Context, c *storage.Client, args []string) int {
	if len(args) != 2 {
		usage()
		return 2
	}
	dir, err := os.MkdirTemp("", "cloudstore-verify-")
	if err != nil {
		fatalf("verify: %v", err)
	}
	status := verifyInto(ctx, c, dir, args[0], args[1])
	if err := os.RemoveAll(dir); err != nil {
		log.Printf("verify: cleanup: %v", err)
	}
	return status
}

// verifyInto downloads key into dir and compares checksums.
func verifyInto(ctx context.Context, c *storage.Client, dir, key, want string) int {
	dst := filepath.Join(dir, "object")
	if err := download.New(c).Download(ctx, key, dst); err != nil {
		log.Printf("verify %s: %v", key, err)
		return 1
	}
	if err := download.VerifyFile(dst, want); err != nil {
		log.Print(err)
		return 1
	}
	fmt.Println("OK", key)
	return 0
}
