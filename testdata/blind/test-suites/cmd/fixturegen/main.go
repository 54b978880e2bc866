// Command fixturegen fills a data directory with generated orders for local
// development and manual testing.
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"time"

	"example.com/testsuites/order"
	"example.com/testsuites/store"
)

var customers = []string{"ada", "grace", "linus", "barbara", "ken", "margaret"}

func generate(r *rand.Rand, n int, start time.Time) []order.Order {
	out := make([]order.Order, 0, n)
	for i := 0; i < n; i++ {
		created := start.Add(time.Duration(i) * time.Minute)
		o := order.Order{
			ID:       order.NewID(uint64(i+1), created),
			Customer: customers[r.Intn(len(customers))],
			Status:   order.StatusNew,
			Created:  created,
			Updated:  created,
		}
		for j := 0; j < 1+r.Intn(4); j++ {
			o.Items = append(o.Items, order.Item{
				SKU:        fmt.Sprintf("sku-%02d", j),
				Qty:        1 + r.Intn(3),
				PriceCents: int64(100 + r.Intn(9900)),
			})
		}
		if r.Intn(3) == 0 {
			o.Transition(order.StatusPaid, created.Add(time.Hour))
		}
		out = append(out, o)
	}
	return out
}

func main() {
	status := 0
	defer func() { os.Exit(status) }()

	dir := flag.String("dir", "data", "data directory to fill")
	n := flag.Int("n", 50, "number of orders")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()

	fs, err := store.OpenFileStore(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fixturegen:", err)
		status = 1
		return
	}
	manifest, err := os.Create(filepath.Join(*dir, "MANIFEST"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "fixturegen:", err)
		status = 1
		return
	}
	defer func() {
		if err := manifest.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "fixturegen: manifest:", err)
			status = 1
		}
	}()

	orders := generate(rand.New(rand.NewSource(*seed)), *n, time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC))
	for _, o := range orders {
		if err := fs.Save(o); err != nil {
			fmt.Fprintln(os.Stderr, "fixturegen:", err)
			status = 1
			return
		}
		if _, err := fmt.Fprintln(manifest, o.ID); err != nil {
			fmt.Fprintln(os.Stderr, "fixturegen: manifest:", err)
			status = 1
			return
		}
	}
	fmt.Printf("wrote %d orders to %s\n", len(orders), *dir)
}
