// Package settlement turns closed lots into ledgers for the bank: one CSV
// file per trading day, a compressed archive for cold storage, statements
// for bidders and an append-only audit trail.
package settlement

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

const dayLayout = "2006-01-02"

// Entry is one settled lot.
type Entry struct {
	LotID    string
	Winner   string
	Amount   int64 // cents
	Fee      int64 // cents
	ClosedAt time.Time
}

var header = []string{"lot", "winner", "amount_cents", "fee_cents", "closed_at"}

func (e Entry) record() []string {
	return []string{
		e.LotID,
		e.Winner,
		strconv.FormatInt(e.Amount, 10),
		strconv.FormatInt(e.Fee, 10),
		e.ClosedAt.UTC().Format(time.RFC3339),
	}
}

// LedgerName is the file name of the ledger of day.
func LedgerName(day time.Time) string {
	return "ledger-" + day.Format(dayLayout) + ".csv"
}

// WriteCSV writes the header and entries to w and reports any write error.
func WriteCSV(w io.Writer, entries []Entry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, e := range entries {
		if err := cw.Write(e.record()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteLedger writes entries to path. The deferred close joins its error
// into the named result.
func WriteLedger(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	if err := WriteCSV(bw, entries); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteLedgerAtomic writes entries to a temporary file, syncs and closes it
// with error checks, and renames it into place. The deferred close only
// matters on the error paths.
func WriteLedgerAtomic(path string, entries []Entry) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := WriteCSV(f, entries); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// ExportCSV streams entries to w (an HTTP response, stdout).
func ExportCSV(w io.Writer, entries []Entry) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, e := range entries {
		if err := cw.Write(e.record()); err != nil {
			return err
		}
	}
	return nil
}

// WriteArchive writes a gzip-compressed copy of the ledger for cold
// storage.
func WriteArchive(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer f.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	zw.Name = filepath.Base(path)
	zw.ModTime = time.Now()
	return WriteCSV(zw, entries)
}

// AppendAudit appends one line to the settlement audit trail.
func AppendAudit(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintln(f, time.Now().UTC().Format(time.RFC3339), line)
	return err
}

// AppendAuditSynced is AppendAudit for the lines the bank's reconciliation
// depends on: it syncs and checks the close.
func AppendAuditSynced(path, line string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if _, err := fmt.Fprintln(f, time.Now().UTC().Format(time.RFC3339), line); err != nil {
		return err
	}
	return f.Sync()
}
