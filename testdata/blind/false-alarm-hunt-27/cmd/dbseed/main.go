// Command dbseed fills a memwire database with users and orders for local
// development and load tests.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"example.com/fah27/internal/memdriver"
	"example.com/fah27/internal/store"
)

func main() {
	dsn := flag.String("dsn", "dev", "memwire DSN")
	emailsPath := flag.String("emails", "", "file with one email per line (default: generated)")
	n := flag.Int("n", 100, "number of users to generate when -emails is empty")
	orders := flag.Int("orders", 3, "orders per user")
	flag.Parse()

	emails, err := loadEmails(*emailsPath, *n)
	if err != nil {
		log.Fatalf("dbseed: %v", err)
	}

	memdriver.Register()
	memdriver.NewServer(*dsn)
	st, err := store.Open(memdriver.Name, *dsn, 5*time.Second, log.Default())
	if err != nil {
		log.Fatalf("dbseed: %v", err)
	}
	defer st.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	created, err := seed(ctx, st, emails, *orders)
	if err != nil {
		log.Fatalf("dbseed: after %d users: %v", created, err) // HAZ exit-skips-defer
	}
	log.Printf("dbseed: created %d users with %d orders each", created, *orders)
}

// loadEmails reads addresses from path, or generates n of them.
func loadEmails(path string, n int) ([]string, error) {
	if path == "" {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("user%04d@example.com", i)
		}
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}

// seed creates the users and their orders and returns how many users it
// created before the first error.
func seed(ctx context.Context, st *store.Store, emails []string, ordersPerUser int) (int, error) {
	for i, email := range emails {
		id, err := st.CreateUser(ctx, email)
		if err != nil {
			return i, err
		}
		for k := range ordersPerUser {
			o := store.Order{UserID: id, Total: int64(100 * (k + 1)), Placed: time.Now().UTC()}
			if _, err := st.PlaceOrder(ctx, o); err != nil {
				return i, fmt.Errorf("order %d of %s: %w", k, email, err)
			}
		}
	}
	return len(emails), nil
}
