package sink

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"example.com/consumer/broker"
	"example.com/consumer/pipeline"
)

// SQLSink writes items into a table, idempotently by (topic, partition,
// offset). Any database/sql driver can be used.
type SQLSink struct {
	db    *sql.DB
	table string
}

// NewSQLSink returns a sink writing into table.
func NewSQLSink(db *sql.DB, table string) *SQLSink {
	return &SQLSink{db: db, table: table}
}

// Name implements pipeline.Sink.
func (s *SQLSink) Name() string { return "sql:" + s.table }

// Deliver inserts the item and records the consumed offset in one
// transaction.
func (s *SQLSink) Deliver(ctx context.Context, it pipeline.Item) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // no-op once committed
	m := it.Msg
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO "+s.table+" (topic, part, off, payload) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
		m.Topic, m.Partition, m.Offset, m.Value); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		"UPDATE consumer_offsets SET off = $3 WHERE topic = $1 AND part = $2 AND off < $3",
		m.Topic, m.Partition, m.Offset+1); err != nil {
		return err
	}
	return tx.Commit()
}

// DeliverParallel delivers items concurrently (they must be independent)
// and returns the failures.
func (s *SQLSink) DeliverParallel(ctx context.Context, items []pipeline.Item) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(items))
	for _, it := range items {
		wg.Add(1)
		go func() {
			if err := s.Deliver(ctx, it); err != nil {
				errc <- fmt.Errorf("%s@%d: %w", it.Msg.TP(), it.Msg.Offset, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
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

// Pending returns the ids of rows that downstream has not acknowledged.
func (s *SQLSink) Pending(ctx context.Context, limit int) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM "+s.table+" WHERE acked = false ORDER BY id LIMIT $1", limit)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Ack marks rows as acknowledged.
func (s *SQLSink) Ack(ctx context.Context, ids []int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			if rerr := tx.Rollback(); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
	}()
	for _, id := range ids {
		if _, err = tx.ExecContext(ctx, "UPDATE "+s.table+" SET acked = true WHERE id = $1", id); err != nil {
			return err
		}
	}
	err = tx.Commit()
	return err
}

// StatusCounts returns, per partition, how many rows are acked and not.
func (s *SQLSink) StatusCounts(ctx context.Context, parts []broker.TopicPartition) (map[broker.TopicPartition][2]int64, error) {
	out := make(map[broker.TopicPartition][2]int64, len(parts))
	for _, tp := range parts {
		rows, err := s.db.QueryContext(ctx,
			"SELECT acked, count(*) FROM "+s.table+" WHERE topic = $1 AND part = $2 GROUP BY acked", tp.Topic, tp.Partition)
		if err != nil {
			return nil, err
		}
		defer rows.Close() // HAZ defer-in-loop
		var counts [2]int64
		for rows.Next() {
			var acked bool
			var n int64
			if err := rows.Scan(&acked, &n); err != nil {
				return nil, err
			}
			if acked {
				counts[1] = n
			} else {
				counts[0] = n
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[tp] = counts
	}
	return out, nil
}

// PendingByPartition is StatusCounts for the unacknowledged rows only, with
// each query's rows closed before the next query.
func (s *SQLSink) PendingByPartition(ctx context.Context, parts []broker.TopicPartition) (map[broker.TopicPartition]int64, error) {
	out := make(map[broker.TopicPartition]int64, len(parts))
	for _, tp := range parts {
		var n int64
		err := s.db.QueryRowContext(ctx,
			"SELECT count(*) FROM "+s.table+" WHERE topic = $1 AND part = $2 AND acked = false", tp.Topic, tp.Partition).Scan(&n)
		if err != nil {
			return nil, err
		}
		out[tp] = n
	}
	return out, nil
}

// Reload replaces the table contents with items, through a staging table.
func (s *SQLSink) Reload(ctx context.Context, items []pipeline.Item) error {
	if _, err := s.db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+s.table+"_staging (LIKE "+s.table+")"); err != nil {
		return err
	}
	defer s.db.ExecContext(ctx, "DROP TABLE IF EXISTS "+s.table+"_staging") // HAZ defer-blocking-call
	for _, it := range items {
		m := it.Msg
		if _, err := s.db.ExecContext(ctx, "INSERT INTO "+s.table+"_staging (topic, part, off, payload) VALUES ($1, $2, $3, $4)",
			m.Topic, m.Partition, m.Offset, m.Value); err != nil {
			return err
		}
	}
	_, err := s.db.ExecContext(ctx, "BEGIN; DELETE FROM "+s.table+"; INSERT INTO "+s.table+" SELECT * FROM "+s.table+"_staging; COMMIT")
	return err
}

// Migrate runs schema statements in one transaction on a fresh connection
// pool.
func Migrate(ctx context.Context, driver, dsn string, stmts []string) error {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // no-op once committed
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate %q: %w", s, err)
		}
	}
	return tx.Commit()
}
