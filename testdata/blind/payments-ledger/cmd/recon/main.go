// Command recon reconciles a ledger balance export against a bank statement
// export and prints the differences. It exits with status 3 when the two
// disagree, so that cron mails the operators.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"time"

	"example.com/payments/ledger"
	"example.com/payments/recon"
)

// balances is an exported balance file: account -> amount.
type balances map[ledger.AccountID]ledger.Amount

func (b balances) Balance(_ context.Context, id ledger.AccountID) (ledger.Amount, error) {
	v, ok := b[id]
	if !ok {
		return 0, fmt.Errorf("no balance for %s", id)
	}
	return v, nil
}

func (b balances) ids() []ledger.AccountID {
	out := make([]ledger.AccountID, 0, len(b))
	for id := range b {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// statement adapts a balance file to the bank side.
type statement struct{ balances }

func (s statement) StatementBalance(ctx context.Context, id ledger.AccountID) (ledger.Amount, error) {
	return s.Balance(ctx, id)
}

// loadBalances reads "account,amount" lines.
func loadBalances(path string) (balances, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 2
	out := make(balances)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		amt, err := ledger.ParseAmount(rec[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out[ledger.AccountID(rec[0])] = amt
	}
}

func main() {
	booksPath := flag.String("books", "", "ledger balance export")
	bankPath := flag.String("bank", "", "bank statement export")
	workers := flag.Int("workers", 8, "parallel checks")
	timeout := flag.Duration("timeout", 10*time.Minute, "overall deadline")
	flag.Parse()
	if *booksPath == "" || *bankPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	books, err := loadBalances(*booksPath)
	if err != nil {
		log.Fatalf("recon: %v", err)
	}
	bank, err := loadBalances(*bankPath)
	if err != nil {
		log.Fatalf("recon: %v", err)
	}

	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			log.Printf("recon: writing report: %v", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	job := recon.NewJob(books, statement{bank}, log.Default(), *workers)
	rep, err := job.Run(ctx, books.ids())
	if err != nil {
		fmt.Fprintf(out, "recon: incomplete run: %v\n", err)
	}
	if err := rep.WriteText(out); err != nil {
		log.Printf("recon: %v", err)
	}
	if len(rep.Mismatches) > 0 || len(rep.Failed) > 0 {
		os.Exit(3) // HAZ exit-skips-defer
	}
}
