package export

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
)

// ManifestEntry describes one exported file.
type ManifestEntry struct {
	Table string
	File  string
	Rows  int64
}

// WriteManifest writes one CSV line per exported file.
func WriteManifest(path string, files []ManifestEntry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"table", "file", "rows"}); err != nil {
		return err
	}
	for _, e := range files {
		if err := cw.Write([]string{e.Table, e.File, strconv.FormatInt(e.Rows, 10)}); err != nil {
			return err
		}
	}
	return cw.Error()
}

// ReadManifest reads a manifest written by WriteManifest.
func ReadManifest(path string) ([]ManifestEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []ManifestEntry
	for i, r := range recs {
		if i == 0 || len(r) != 3 {
			continue
		}
		n, err := strconv.ParseInt(r[2], 10, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, ManifestEntry{Table: r[0], File: r[1], Rows: n})
	}
	return out, nil
}

// DumpAtomic writes table to path through a temp file that is renamed into
// place on success and removed on failure.
func DumpAtomic(ctx context.Context, db *sql.DB, table, path string) (err error) {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dump-*.csv")
	if err != nil {
		return err
	}
	cleanup = func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	cw := csv.NewWriter(tmp)
	if err = copyTable(ctx, db, table, cw); err != nil {
		return err
	}
	cw.Flush()
	if err = cw.Error(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// DumpReplace is DumpAtomic with the cleanup registered once it is known:
// the deferred closure reads err, the named result, when it runs.
func DumpReplace(ctx context.Context, db *sql.DB, table, path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dump-*.csv")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	cw := csv.NewWriter(tmp)
	if err = copyTable(ctx, db, table, cw); err != nil {
		return err
	}
	cw.Flush()
	if err = cw.Error(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
