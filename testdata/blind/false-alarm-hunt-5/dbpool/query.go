package dbpool

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// CountAll returns the row count of every table.
func (p *Pool) CountAll(ctx context.Context, tables []string) (map[string]int64, error) {
	out := make(map[string]int64, len(tables))
	for _, t := range tables {
		rows, err := p.Query(ctx, "SELECT count(*) FROM "+quoteIdent(t))
		if err != nil {
			return nil, err
		}
		defer rows.Close() // HAZ defer-in-loop
		if !rows.Next() {
			return nil, fmt.Errorf("dbpool: no count for %s: %v", t, rows.Err())
		}
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}

// CountEach is CountAll with each query's rows closed inside a per-table
// function literal, so at most one connection is held at a time.
func (p *Pool) CountEach(ctx context.Context, tables []string) (map[string]int64, error) {
	out := make(map[string]int64, len(tables))
	for _, t := range tables {
		err := func() error {
			rows, err := p.Query(ctx, "SELECT count(*) FROM "+quoteIdent(t))
			if err != nil {
				return err
			}
			defer rows.Close()
			if !rows.Next() {
				return fmt.Errorf("dbpool: no count for %s: %v", t, rows.Err())
			}
			var n int64
			if err := rows.Scan(&n); err != nil {
				return err
			}
			out[t] = n
			return nil
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Keys returns the keys of table in order, closing the rows explicitly
// inside the loop.
func (p *Pool) Keys(ctx context.Context, tables ...string) ([]string, error) {
	var keys []string
	for _, t := range tables {
		rows, err := p.Query(ctx, "SELECT k, v FROM "+quoteIdent(t))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			var v int64
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return nil, err
			}
			keys = append(keys, t+"/"+k)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// ExportCSV writes table as CSV. The csv writer is flushed explicitly and
// its error checked; the rows are read-side and closed by defer.
func (p *Pool) ExportCSV(ctx context.Context, table string, w io.Writer) error {
	rows, err := p.Query(ctx, "SELECT k, v FROM "+quoteIdent(table))
	if err != nil {
		return err
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"key", "value"}); err != nil {
		return err
	}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		if err := cw.Write([]string{k, strconv.FormatInt(v, 10)}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// ImportCSV loads key,value records into table inside one transaction.
func (p *Pool) ImportCSV(ctx context.Context, table string, r io.Reader) (int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	recs, err := cr.ReadAll()
	if err != nil {
		return 0, err
	}
	n := 0
	err = p.WithTx(ctx, func(tx *Tx) error {
		for i, rec := range recs {
			if i == 0 && rec[0] == "key" {
				continue
			}
			v, err := strconv.ParseInt(rec[1], 10, 64)
			if err != nil {
				return fmt.Errorf("line %d: %w", i+1, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO "+table, rec[0], v); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
