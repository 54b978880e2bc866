// Command ingestd serves the ingest API and keeps a document index built
// from the spool directory.
package main

import (
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"example.com/up17/internal/httpapi"
	"example.com/up17/internal/seq"
	"example.com/up17/internal/store"
)

// docMeta is what ingestd persists about each indexed document.
type docMeta struct {
	Title   string    `json:"title"`
	Indexed time.Time `json:"indexed"`
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	spool := flag.String("spool", "/var/spool/up17", "spool directory of .tsv files")
	statePath := flag.String("state", "/var/lib/up17/docs.json", "document metadata snapshot")
	upstream := flag.String("upstream", "http://profiles.internal", "profile service base URL")
	auditURL := flag.String("audit", "http://audit.internal/events", "audit endpoint")
	flag.Parse()

	logger := log.New(os.Stderr, "ingestd: ", log.LstdFlags)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen %s: %v", *addr, err)
	}
	meta, err := store.Load[docMeta](*statePath)
	if err != nil {
		logger.Fatalf("load state: %v", err)
	}
	defer func() {
		if err := meta.Sync(); err != nil {
			logger.Printf("final sync: %v", err)
		}
	}()

	idx := seq.NewIndex()
	for path, err := range seq.Files(*spool, ".tsv") {
		if err != nil {
			logger.Printf("spool: %v", err)
			break
		}
		n := idx.Replace(seq.ParseDocs(seq.Lines(path)))
		for d := range seq.ParseDocs(seq.Lines(path)) {
			meta.Put(d.ID, docMeta{Title: d.Title, Indexed: time.Now()})
		}
		logger.Printf("indexed %d documents from %s", n, path)
	}

	client := &http.Client{Timeout: 10 * time.Second}
	api := httpapi.NewServer(client, *upstream, httpapi.NewAuditClient(client, *auditURL), idx, logger)
	srv := &http.Server{Handler: api.Routes(), ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("serving on %s", ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
