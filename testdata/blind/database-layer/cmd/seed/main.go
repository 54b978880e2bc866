// Command seed fills a database with demo users and orders.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"

	"example.com/databaselayer/internal/fakedb"
	"example.com/databaselayer/repo"
)

func seedUsers(ctx context.Context, users *repo.UserRepo, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	for i := range n {
		u := &repo.User{
			Email:  fmt.Sprintf("user%03d@example.com", i),
			Name:   fmt.Sprintf("User %d", i),
			Active: i%3 != 0,
		}
		if err := users.Create(ctx, u); err != nil {
			return nil, err
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

func seedOrders(ctx context.Context, orders *repo.OrderRepo, userIDs []int64) error {
	for i, uid := range userIDs {
		items := []repo.Item{
			{SKU: "tea", Qty: 1 + i%4, PriceCents: 450},
			{SKU: "cup", Qty: 1, PriceCents: 1200},
		}
		if err := orders.Place(ctx, &repo.Order{UserID: uid}, items); err != nil {
			return fmt.Errorf("order for user %d: %w", uid, err)
		}
	}
	return nil
}

func seed(ctx context.Context, db *sql.DB, n int) error {
	if err := repo.CreateSchema(ctx, db); err != nil {
		return err
	}
	users := repo.NewUserRepo(db)
	defer users.Close()
	ids, err := seedUsers(ctx, users, n)
	if err != nil {
		return err
	}
	return seedOrders(ctx, repo.NewOrderRepo(db), ids)
}

func main() {
	dsn := flag.String("dsn", "app", "database to seed")
	n := flag.Int("users", 25, "number of users")
	flag.Parse()

	db, err := sql.Open(fakedb.DriverName, *dsn)
	if err != nil {
		log.Fatalf("seed: open: %v", err)
	}
	defer db.Close()

	if err := seed(context.Background(), db, *n); err != nil {
		log.Fatalf("seed: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("seed: created %d users", *n)
}
