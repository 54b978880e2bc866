// Package settlement produces the daily settlement files sent to the bank:
// CSV batches (optionally gzipped), a checksum manifest and a summary sheet.
package settlement

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

var header = []string{"entry_id", "account", "amount", "currency", "posted_at"}

// Row is one posting in a settlement file.
type Row struct {
	EntryID  string
	Account  string
	Amount   int64 // minor units
	Currency string
	PostedAt time.Time
}

func (r Row) record() []string {
	return []string{
		r.EntryID,
		r.Account,
		strconv.FormatInt(r.Amount, 10),
		r.Currency,
		r.PostedAt.UTC().Format(time.RFC3339),
	}
}

func parseRow(rec []string) (Row, error) {
	if len(rec) != len(header) {
		return Row{}, fmt.Errorf("settlement: want %d fields, got %d", len(header), len(rec))
	}
	amt, err := strconv.ParseInt(rec[2], 10, 64)
	if err != nil {
		return Row{}, fmt.Errorf("settlement: amount %q: %w", rec[2], err)
	}
	at, err := time.Parse(time.RFC3339, rec[4])
	if err != nil {
		return Row{}, fmt.Errorf("settlement: posted_at %q: %w", rec[4], err)
	}
	return Row{EntryID: rec[0], Account: rec[1], Amount: amt, Currency: rec[3], PostedAt: at}, nil
}

// Batch is the set of rows settled together.
type Batch struct {
	ID   string
	Date time.Time
	Rows []Row
}

// Totals returns the net amount per currency; a sound batch nets to zero.
func (b *Batch) Totals() map[string]int64 {
	t := make(map[string]int64)
	for _, r := range b.Rows {
		t[r.Currency] += r.Amount
	}
	return t
}

// Balanced reports an error naming the first currency that does not net out.
func (b *Batch) Balanced() error {
	totals := b.Totals()
	currencies := make([]string, 0, len(totals))
	for c := range totals {
		currencies = append(currencies, c)
	}
	sort.Strings(currencies)
	for _, c := range currencies {
		if totals[c] != 0 {
			return fmt.Errorf("settlement: batch %s does not net out in %s: %d", b.ID, c, totals[c])
		}
	}
	return nil
}

// Filter returns the rows of b posted on day (UTC) as a new batch.
func (b *Batch) Filter(day time.Time) *Batch {
	y, m, d := day.UTC().Date()
	out := &Batch{ID: fmt.Sprintf("%s-%04d%02d%02d", b.ID, y, m, d), Date: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	for _, r := range b.Rows {
		ry, rm, rd := r.PostedAt.UTC().Date()
		if ry == y && rm == m && rd == d {
			out.Rows = append(out.Rows, r)
		}
	}
	return out
}

// ManifestEntry describes one file of a settlement delivery.
type ManifestEntry struct {
	Name   string
	SHA256 string
	Rows   int
}

// Summary is the cover sheet of a batch.
type Summary struct {
	BatchID string
	Date    time.Time
	Rows    int
	Totals  map[string]int64
}

// Summary computes the cover sheet of b.
func (b *Batch) Summary() Summary {
	return Summary{BatchID: b.ID, Date: b.Date, Rows: len(b.Rows), Totals: b.Totals()}
}
