package writes

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// A struct literal bound to a local sets the field to a buffered writer.
type reportWriter struct {
	out *bufio.Writer
}

func writeReport(w io.Writer, lines []string) error {
	rw := reportWriter{out: bufio.NewWriter(w)}
	defer rw.out.Flush() // want `deferred rw\.out\.Flush\(\) discards the error of the buffered writer from bufio\.NewWriter on line 19`
	for _, l := range lines {
		if _, err := rw.out.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// The field is assigned the created file in the function.
type spool struct {
	file *os.File
	w    *bufio.Writer
}

func spill(path string, records [][]byte) error {
	var sp spool
	var err error
	sp.file, err = os.Create(path)
	if err != nil {
		return err
	}
	defer sp.file.Close() // want `deferred sp\.file\.Close\(\) discards the error of the file created by os\.Create on line 38`
	sp.w = bufio.NewWriter(sp.file)
	for _, r := range records {
		if _, err := sp.w.Write(r); err != nil {
			return err
		}
	}
	return sp.w.Flush()
}

// Every value the package stores in the field is a buffered writer.
type lineExporter struct {
	w *bufio.Writer
}

func newLineExporter(w io.Writer) *lineExporter {
	return &lineExporter{w: bufio.NewWriter(w)}
}

func (e *lineExporter) exportAll(names []string) error {
	defer e.w.Flush() // want `discards the error of the buffered writer that the package stores in e\.w \(from bufio\.NewWriter on line 58\)`
	for _, n := range names {
		if _, err := fmt.Fprintln(e.w, n); err != nil {
			return err
		}
	}
	return nil
}

// ---- not flagged ----

// The package releases the field with a checked call: the writer's error is sticky, so Close
// reports a failed deferred flush.
type archiver struct {
	tw *tar.Writer
}

func newArchiver(w io.Writer) *archiver { return &archiver{tw: tar.NewWriter(w)} }

func (a *archiver) add(name string, data []byte) error {
	defer a.tw.Flush()
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data))}); err != nil {
		return err
	}
	_, err := a.tw.Write(data)
	return err
}

func (a *archiver) Close() error { return a.tw.Close() }

// The field holds whatever the caller passes in: its origin is unknown.
type sink struct {
	w *bufio.Writer
}

func newSink(w *bufio.Writer) *sink { return &sink{w: w} }

func (s *sink) emit(line string) error {
	defer s.w.Flush()
	_, err := s.w.WriteString(line)
	return err
}

// Checked on the success path in the function itself.
type checkedExporter struct {
	w *bufio.Writer
}

func newCheckedExporter(w io.Writer) *checkedExporter {
	return &checkedExporter{w: bufio.NewWriter(w)}
}

func (e *checkedExporter) exportChecked(names []string) error {
	defer e.w.Flush()
	for _, n := range names {
		if _, err := fmt.Fprintln(e.w, n); err != nil {
			return err
		}
	}
	return e.w.Flush()
}

// A field read from a file opened read-only.
type loader struct {
	f *os.File
}

func openLoader(path string) (*loader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &loader{f: f}, nil
}

func (l *loader) load() ([]byte, error) {
	defer l.f.Close()
	return io.ReadAll(l.f)
}

// The file is closed first (defer-order-inverted); the wrapper's dropped error is reported too:
// once the order is fixed, the trailer's write error is still lost.
func bundleInverted(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // want `deferred zw\.Close\(\) discards the error of the gzip writer from compress/gzip\.NewWriter`
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = zw.Write(data)
	return err
}

// The wrapper's writes are flushed and checked, and the order of the defers alone loses the
// trailer: defer-order-inverted's finding, not reported here.
func bundleFlushed(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close()
	defer f.Close()
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
