// Command seed creates demo accounts and a burst of concurrent transfers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"
	"time"

	"example.com/txsvc/ledger"
)

func main() {
	dsn := flag.String("dsn", "ledger", "database name")
	n := flag.Int("n", 10, "number of accounts")
	flag.Parse()
	if *n < 2 {
		log.Fatal("-n must be at least 2") // ok: nothing deferred in main
	}
	if err := seed(*dsn, *n); err != nil {
		log.Printf("seed: %v", err)
		os.Exit(1) // ok: main registers no defers
	}
}

func seed(dsn string, n int) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := ledger.Open(ctx, dsn, ledger.Options{})
	if err != nil {
		return err
	}
	defer store.Close()

	accts := make([]ledger.Account, 0, n+2)
	for i := range n {
		accts = append(accts, ledger.Account{ID: fmt.Sprintf("acct-%03d", i), Balance: 10000})
	}
	accts = append(accts, ledger.Account{ID: ledger.FeeAccount}, ledger.Account{ID: "suspense"})
	if err := store.ImportOpening(ctx, accts); err != nil {
		return err
	}

	var wg sync.WaitGroup
	errc := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() { // ok: Go 1.22 per-iteration i
			defer wg.Done()
			t := ledger.Transfer{
				From:   fmt.Sprintf("acct-%03d", i),
				To:     fmt.Sprintf("acct-%03d", (i+1)%n),
				Amount: int64(100 * (i + 1)),
				Fee:    5,
			}
			if _, err := store.Transfer(ctx, t); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
