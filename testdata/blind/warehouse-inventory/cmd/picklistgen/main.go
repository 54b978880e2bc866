// Command picklistgen turns an orders file into pick lists.
//
//	picklistgen -orders orders.json -out DIR [-format csv|csv.gz|json] [-bins bins.csv]
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"example.com/inventory/internal/picklist"
	"example.com/inventory/internal/stock"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the exit, so that its defers always run.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("picklistgen", flag.ContinueOnError)
	flags.SetOutput(stderr)
	ordersPath := flags.String("orders", "", "orders JSON file")
	outDir := flags.String("out", ".", "output directory")
	format := flags.String("format", "csv", "csv, csv.gz or json")
	binsPath := flags.String("bins", "", "CSV of warehouse,sku,bin")
	toStdout := flags.Bool("stdout", false, "write gzip CSV to stdout instead of a file")
	if err := flags.Parse(args); err != nil {
		return 2
	}

	orders, err := loadOrders(*ordersPath)
	if err != nil {
		fmt.Fprintf(stderr, "picklistgen: %v\n", err)
		return 1
	}
	bins, err := loadBins(*binsPath)
	if err != nil {
		fmt.Fprintf(stderr, "picklistgen: %v\n", err)
		return 1
	}
	lines := picklist.Build(orders, bins)

	if *toStdout {
		if err := picklist.ExportTo(stdout, lines); err != nil {
			fmt.Fprintf(stderr, "picklistgen: %v\n", err)
			return 1
		}
		return 0
	}
	path, err := picklist.SpoolChecked(*outDir, picklist.Format(*format), lines)
	if err != nil {
		fmt.Fprintf(stderr, "picklistgen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d lines written to %s\n", len(lines), path)
	return 0
}

// loadOrders reads the orders JSON file.
func loadOrders(path string) ([]picklist.Order, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var orders []picklist.Order
	if err := json.NewDecoder(f).Decode(&orders); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return orders, nil
}

// loadBins reads the bin map; without one, every SKU is in bin "UNSORTED".
func loadBins(path string) (picklist.BinLocator, error) {
	if path == "" {
		return func(string, stock.SKU) string { return "UNSORTED" }, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	bins := make(map[string]string, len(recs))
	for _, rec := range recs {
		if len(rec) == 3 {
			bins[rec[0]+"/"+rec[1]] = strings.TrimSpace(rec[2])
		}
	}
	return func(wh string, sku stock.SKU) string {
		if b, ok := bins[wh+"/"+string(sku)]; ok {
			return b
		}
		return "UNSORTED"
	}, nil
}
