package writes

import (
	"bufio"
	"compress/gzip"
	"errors"
	"os"
)

// gzFile is a gzip stream over a file it owns.
type gzFile struct {
	f  *os.File
	zw *gzip.Writer
}

func createGz(path string) (*gzFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &gzFile{f: f, zw: gzip.NewWriter(f)}, nil
}

func (g *gzFile) Write(p []byte) (int, error) { return g.zw.Write(p) }

// Close writes the gzip footer and closes the file.
func (g *gzFile) Close() error { return errors.Join(g.zw.Close(), g.f.Close()) }

// The footer and the file's last blocks are written at Close, whose error is dropped.
func exportLines(dst string, lines [][]byte) error {
	out, err := createGz(dst)
	if err != nil {
		return err
	}
	defer out.Close() // want `deferred out\.Close\(\) discards the error of the gzFile wrapping the file created by os\.Create, returned by createGz on line \d+`
	for _, l := range lines {
		if _, err := out.Write(l); err != nil {
			return err
		}
	}
	return nil
}

// The same with the Close checked on the success path: the deferred one only cleans up.
func exportLinesChecked(dst string, lines [][]byte) error {
	out, err := createGz(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	for _, l := range lines {
		if _, err := out.Write(l); err != nil {
			return err
		}
	}
	return out.Close()
}

// segWriter buffers records into a segment file.
type segWriter struct {
	f  *os.File
	bw *bufio.Writer
}

func openSegment(path string) (*segWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &segWriter{f: f, bw: bufio.NewWriter(f)}, nil
}

func (w *segWriter) Append(rec []byte) error {
	_, err := w.bw.Write(rec)
	return err
}

func (w *segWriter) Close() error {
	return errors.Join(w.bw.Flush(), w.f.Close())
}

// Records appended through the wrapper's own method are flushed at Close, whose error is dropped.
func writeSegment(path string, recs [][]byte) error {
	w, err := openSegment(path)
	if err != nil {
		return err
	}
	defer w.Close() // want `deferred w\.Close\(\) discards the error of the segWriter wrapping the file opened for writing by os\.OpenFile, returned by openSegment`
	for _, r := range recs {
		if err := w.Append(r); err != nil {
			return err
		}
	}
	return nil
}

// reader wraps a file opened for reading: nothing to lose at Close.
type reader struct{ f *os.File }

func openReader(path string) (*reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &reader{f: f}, nil
}

func (r *reader) Close() error { return r.f.Close() }

func readHeader(path string) error {
	r, err := openReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	buf := make([]byte, 4)
	_, err = r.f.Read(buf)
	return err
}

// countingGzip counts what goes through the gzip writer it embeds.
type countingGzip struct {
	*gzip.Writer
	written int64
}

func (c *countingGzip) Write(p []byte) (int, error) {
	n, err := c.Writer.Write(p)
	c.written += int64(n)
	return n, err
}

// The promoted Close writes the gzip footer; its error is dropped.
func encodeCounted(w *os.File, recs [][]byte) (int64, error) {
	cz := &countingGzip{Writer: gzip.NewWriter(w)}
	defer cz.Close() // want `deferred cz\.Close\(\) discards the error of the countingGzip embedding the gzip writer from compress/gzip\.NewWriter`
	for _, r := range recs {
		if _, err := cz.Write(r); err != nil {
			return cz.written, err
		}
	}
	return cz.written, nil
}

// Closed and checked on the success path: the deferred Close only cleans up after a failure.
func encodeCountedChecked(w *os.File, recs [][]byte) (int64, error) {
	cz := &countingGzip{Writer: gzip.NewWriter(w)}
	defer cz.Close()
	for _, r := range recs {
		if _, err := cz.Write(r); err != nil {
			return cz.written, err
		}
	}
	return cz.written, cz.Close()
}

// serialPort drives a device by request and reply over one read-write handle.
type serialPort struct {
	f *os.File
	r *bufio.Reader
}

func openPort(path string) (*serialPort, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	return &serialPort{f: f, r: bufio.NewReader(f)}, nil
}

func (p *serialPort) command(req []byte) (string, error) {
	if _, err := p.f.Write(req); err != nil {
		return "", err
	}
	return p.r.ReadString('\n')
}

func (p *serialPort) Close() error { return p.f.Close() }

// The command went out when it was written and the reply has been read: closing loses nothing.
func readIdent(path string) (string, error) {
	p, err := openPort(path)
	if err != nil {
		return "", err
	}
	defer p.Close()
	return p.command([]byte("ID?\n"))
}
