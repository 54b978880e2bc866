package audit

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
)

// AppendLine appends one line to a side file (used for the manual-adjustment log).
func AppendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.WriteString(line + "\n")
	return err
}

// AppendLineChecked is AppendLine that reports the close error.
func AppendLineChecked(path, line string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error joined into the named result
	_, err = f.WriteString(line + "\n")
	return err
}

// AppendLineSync writes, syncs and closes explicitly.
func AppendLineSync(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns the checked Close below
	if _, err := f.WriteString(line + "\n"); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Row is one line of a CSV export.
type Row struct {
	Account string
	Balance int64
}

// ExportCSV writes rows to a new CSV file.
func ExportCSV(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	if err := w.Write([]string{"account", "balance"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write([]string{r.Account, strconv.FormatInt(r.Balance, 10)}); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// WriteCSV streams rows to w; the caller owns w.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"account", "balance"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write([]string{r.Account, strconv.FormatInt(r.Balance, 10)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportCSVFile is ExportCSV with the file's close checked.
func ExportCSVFile(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr // ok: err is the named result
		}
	}()
	return WriteCSV(f, rows)
}

// writeSnapshot dumps lines to path through a buffer.
func writeSnapshot(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	for _, line := range lines {
		if _, err := bw.WriteString(line + "\n"); err != nil {
			return err
		}
	}
	return f.Sync()
}

// SnapshotEvents writes evs as JSON lines to path for the nightly export.
func SnapshotEvents(path string, evs []Event) error {
	lines := make([]string, 0, len(evs))
	for _, ev := range evs {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		lines = append(lines, string(b))
	}
	return writeSnapshot(path, lines)
}

// WriteSnapshot dumps lines to path, flushing and syncing before close.
func WriteSnapshot(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, line := range lines {
		if _, err := bw.WriteString(line + "\n"); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// Archive gzips a rotated audit file into dst.
func Archive(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(zw, in)
	return err
}

// ArchiveFile gzips src into dst; the gzip stream is closed before the file.
func ArchiveFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() // ok: read-only
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: registered after the file, so it runs first
	zw.Name = src
	_, err = io.Copy(zw, in)
	return err
}

// ReadEvents loads every event of a JSON-lines audit file.
func ReadEvents(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	var out []Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, sc.Err()
}

// ReadArchive loads the events of a gzipped audit file.
func ReadArchive(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close() // ok: reader, registered after the file it reads
	var out []Event
	dec := json.NewDecoder(zr)
	for {
		var ev Event
		err := dec.Decode(&ev)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
}
