// Command archived serves the archive over HTTP.
package main

import (
	"errors"
	"flag"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"example.com/up16/internal/catalog"
	"example.com/up16/internal/httpapi"
	"example.com/up16/internal/lease"
	"example.com/up16/internal/sink"
)

func loadIndex(cat *catalog.Catalog, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return cat.ReadJSON(f)
}

// saveIndex writes the catalog to path through a temporary file.
func saveIndex(cat *catalog.Catalog, path string, logger *log.Logger) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		logger.Printf("save index: %v", err)
		return
	}
	if err := cat.WriteJSON(f); err != nil {
		_ = f.Close()
		logger.Printf("save index: %v", err)
		return
	}
	if err := f.Close(); err != nil {
		logger.Printf("save index: %v", err)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		logger.Printf("save index: %v", err)
	}
}

func main() {
	addr := flag.String("addr", ":8410", "listen address")
	data := flag.String("data", "/var/lib/archiver/data", "payload directory")
	flag.Parse()
	logger := log.New(os.Stderr, "archived: ", log.LstdFlags)
	src, err := sink.NewDir(*data)
	if err != nil {
		logger.Fatal(err)
	}
	leases := &lease.Manager{Dir: *data, Log: logger}
	release, err := leases.Hold("archived")
	if err != nil {
		logger.Fatalf("another archived serves %s: %v", *data, err)
	}
	cat := catalog.New("archived")
	indexPath := filepath.Join(*data, "index.json")
	if err := loadIndex(cat, indexPath); err != nil {
		release()
		logger.Fatalf("load index: %v", err)
	}
	defer release()
	defer saveIndex(cat, indexPath, logger)
	h := httpapi.NewHandler(cat, src, os.Getenv("ARCHIVED_AUDIT_URL"), logger)
	h.Upstream = os.Getenv("ARCHIVED_UPSTREAM")
	srv := httpapi.NewServer(*addr, h, httpapi.WithShutdownHook(func() { logger.Print("server stopped") }))
	logger.Printf("serving %s on %s", *data, *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
