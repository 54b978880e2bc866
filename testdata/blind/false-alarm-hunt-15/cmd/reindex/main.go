// Command reindex rebuilds the order search index from the database.
package main

import (
	"context"
	"database/sql"
	"flag"
	"os"
	"time"

	"example.com/fah15/internal/logx"
)

// fatal logs err and exits; it never returns.
func fatal(logger *logx.Logger, msg string, err error) {
	logger.Error(msg, "err", err)
	_ = logger.Sync()
	os.Exit(1)
}

func main() {
	dsn := flag.String("dsn", os.Getenv("DATABASE_URL"), "database DSN")
	batch := flag.Int("batch", 500, "rows per batch")
	flag.Parse()

	logger := logx.New(os.Stderr)
	db, err := sql.Open("pgx", *dsn)
	if err != nil {
		fatal(logger, "open database", err)
	}
	defer db.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	n, err := reindex(ctx, db, *batch)
	if err != nil {
		fatal(logger, "reindex", err) // HAZ exit-skips-defer
	}
	logger.Info("reindexed", "rows", n)
	_ = logger.Sync()
}

func reindex(ctx context.Context, db *sql.DB, batch int) (int, error) {
	total := 0
	var after int64
	for {
		n, last, err := reindexBatch(ctx, db, after, batch)
		if err != nil {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
		after = last
	}
}

func reindexBatch(ctx context.Context, db *sql.DB, after int64, limit int) (n int, last int64, err error) {
	rows, err := db.QueryContext(ctx,
		"SELECT id, customer FROM orders WHERE id > $1 ORDER BY id LIMIT $2", after, limit)
	if err != nil {
		return 0, after, err
	}
	defer rows.Close()
	last = after
	for rows.Next() {
		var id int64
		var customer string
		if err := rows.Scan(&id, &customer); err != nil {
			return n, last, err
		}
		if _, err := db.ExecContext(ctx,
			"INSERT INTO order_search (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = $2",
			id, customer); err != nil {
			return n, last, err
		}
		last = id
		n++
	}
	return n, last, rows.Err()
}
