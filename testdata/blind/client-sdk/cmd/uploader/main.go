// Command uploader uploads files and prints a JSON manifest of what it did.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"example.com/sdk/client"
)

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "uploader: "+format+"\n", args...)
	os.Exit(1)
}

type manifestEntry struct {
	Path string `json:"path"`
	Key  string `json:"key"`
	Size int64  `json:"size"`
}

func uploadOne(ctx context.Context, c *client.Client, path string) (manifestEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return manifestEntry{}, err
	}
	defer f.Close() // ok: read-only
	st, err := f.Stat()
	if err != nil {
		return manifestEntry{}, err
	}
	key := filepath.Base(path)
	if err := c.UploadBuffered(ctx, key, f, map[string]string{"source": path}); err != nil {
		return manifestEntry{}, err
	}
	return manifestEntry{Path: path, Key: key, Size: st.Size()}, nil
}

// uploadAll spools the manifest to a temporary file and copies it to stdout at the end.
func uploadAll(ctx context.Context, c *client.Client, paths []string) {
	spool, err := os.CreateTemp("", "uploader-*.jsonl")
	if err != nil {
		fatal("spool: %v", err) // ok: nothing deferred yet
	}
	defer os.Remove(spool.Name())
	enc := json.NewEncoder(spool)
	failed := 0
	for _, p := range paths {
		e, err := uploadOne(ctx, c, p)
		if err != nil {
			log.Printf("upload %s: %v", p, err)
			failed++
			continue
		}
		if err := enc.Encode(e); err != nil {
			log.Printf("manifest: %v", err)
		}
	}
	if _, err := spool.Seek(0, io.SeekStart); err == nil {
		io.Copy(os.Stdout, spool)
	}
	if err := spool.Close(); err != nil {
		log.Printf("spool: %v", err)
	}
	if failed > 0 {
		fatal("%d of %d uploads failed", failed, len(paths)) // HAZ exit-skips-defer
	}
}

func main() {
	cfgPath := flag.String("config", "sdk.json", "client config")
	flag.Parse()
	if flag.NArg() == 0 {
		fatal("no files given") // ok: nothing deferred yet
	}
	cfg, err := client.LoadConfig(*cfgPath)
	if err != nil {
		fatal("config: %v", err) // ok: nothing deferred yet
	}
	c, err := client.New(cfg.Options()...)
	if err != nil {
		fatal("client: %v", err) // ok: nothing deferred yet
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	uploadAll(ctx, c, flag.Args())
	stop()
	if err := c.Shutdown(); err != nil {
		log.Printf("shutdown: %v", err)
	}
}
