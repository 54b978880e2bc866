// Command ledgerd is the minimal single-binary ledger used on the staging
// cluster: HTTP API plus the in-process outbox publisher.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/txsvc/api"
	"example.com/txsvc/audit"
	"example.com/txsvc/ledger"
	"example.com/txsvc/outbox"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dsn := flag.String("dsn", "ledger", "database name")
	auditDir := flag.String("audit-dir", "audit", "audit log directory")
	flag.Parse()

	logger := log.New(os.Stderr, "ledgerd: ", log.LstdFlags|log.Lmsgprefix)
	al, err := audit.Open(*auditDir, 64<<20)
	if err != nil {
		log.Fatalf("audit: %v", err) // ok: nothing deferred yet
	}
	store, err := ledger.Open(context.Background(), *dsn, ledger.Options{Audit: al, Logger: logger})
	if err != nil {
		al.Close()
		log.Fatalf("ledger: %v", err) // ok: nothing deferred yet
	}
	defer store.Close()
	defer al.Close()

	pub := outbox.NewPublisher(store.DB(), outbox.NewWriterSink(os.Stdout), outbox.Options{
		Interval: 500 * time.Millisecond,
		Logger:   logger,
	})
	pub.Start(context.Background())

	srv := api.NewServer(api.Config{Store: store, Audit: al, Logger: logger})
	logger.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, srv.Routes())) // HAZ exit-skips-defer signal-skips-defer
}
