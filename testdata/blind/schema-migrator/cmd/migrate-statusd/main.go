// Command migrate-statusd serves the migration status of one database over
// HTTP for dashboards and for the status servers of other regions.
package main

import (
	"context"
	"database/sql"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"

	"example.com/migrator/internal/fakedb"
	"example.com/migrator/lock"
	"example.com/migrator/migrate"
	"example.com/migrator/status"
)

func main() {
	addr := flag.String("addr", ":8090", "listen address")
	dsn := flag.String("dsn", "statusd", "fakedb store name")
	dir := flag.String("dir", "migrations", "migrations directory")
	peers := flag.String("peers", "", "comma-separated base URLs of peer status servers")
	flag.Parse()

	migs, err := migrate.DirSource{Dir: *dir}.Load()
	if err != nil {
		log.Fatalf("statusd: %v", err)
	}
	db, err := sql.Open(fakedb.DriverName, *dsn)
	if err != nil {
		log.Fatalf("statusd: %v", err)
	}
	defer db.Close()

	// Only one status server per database writes the audit table.
	locker := lock.NewTableLock(db, hostname(), log.Default())
	if err := locker.Ensure(context.Background()); err != nil {
		log.Printf("statusd: %v", err)
		return
	}
	release, err := locker.Acquire(context.Background(), "statusd")
	if err != nil {
		log.Printf("statusd: %v", err)
		return
	}
	defer release()

	var peerList []string
	if *peers != "" {
		peerList = strings.Split(*peers, ",")
	}
	srv := status.NewServer(db, migrate.DefaultTable, migs, peerList, log.Default())
	if err := srv.Warm(context.Background()); err != nil {
		log.Printf("statusd: warm-up: %v", err)
	}
	log.Printf("statusd: listening on %s", *addr)
	if err := http.ListenAndServe(*addr, srv.Handler()); err != nil { // HAZ signal-skips-defer
		log.Printf("statusd: %v", err)
	}
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "statusd"
	}
	return h
}
