// Command fahmigrate applies the migrations of a directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/fah23/store"
)

func main() {
	dsn := flag.String("dsn", os.Getenv("FAHDB_DSN"), "database DSN")
	dir := flag.String("dir", "migrations", "migrations directory")
	down := flag.Int("down-to", -1, "revert down to this version instead of migrating up")
	flag.Parse()

	migs, err := store.LoadMigrations(*dir)
	if err != nil {
		log.Fatalf("fahmigrate: %v", err)
	}
	unlock, err := acquireLockFile(filepath.Join(*dir, ".fahmigrate.lock"))
	if err != nil {
		log.Fatalf("fahmigrate: %v", err)
	}
	defer unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	st, err := store.Open(ctx, *dsn, log.Default())
	if err != nil {
		log.Fatalf("fahmigrate: %v", err) // HAZ exit-skips-defer
	}
	defer st.Close()
	m := store.NewMigrator(st.DB(), log.Default(), true)
	if *down >= 0 {
		err = m.Revert(ctx, migs, *down)
	} else {
		err = m.Run(ctx, migs)
	}
	if err != nil {
		log.Fatalf("fahmigrate: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("fahmigrate: %d migrations checked", len(migs))
}

// acquireLockFile creates path exclusively, so two fahmigrate runs against
// the same directory cannot interleave. The returned unlock removes it.
func acquireLockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("another fahmigrate holds %s (remove it if that run crashed)", path)
	}
	if err != nil {
		return nil, err
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		return nil, errors.Join(err, os.Remove(path))
	}
	return func() {
		if err := os.Remove(path); err != nil {
			log.Printf("fahmigrate: removing lock file: %v", err)
		}
	}, nil
}
