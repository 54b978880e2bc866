// Package writes holds deferred closes of written resources whose error is lost.
package writes

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/csv"
	"io"
	"os"
	"syscall"
)

func createAndWrite(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file created by os\.Create on line 18`
	_, err = f.Write(data)
	return err
}

func openForAppend(path string, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `file opened for writing by os\.OpenFile on line 28`
	_, err = io.WriteString(f, line)
	return err
}

func openReadWrite(path string) error {
	f, err := os.OpenFile(path, syscall.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\)`
	_, err = f.WriteAt([]byte("x"), 0)
	return err
}

const appendFlags = os.O_CREATE | os.O_APPEND

func openWithConstFlags(path string) error {
	f, err := os.OpenFile(path, appendFlags, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\)`
	_, err = f.WriteString("x")
	return err
}

func bufferedNeverFlushed(w io.Writer, lines []string) {
	bw := bufio.NewWriter(w)
	defer bw.Flush() // want `deferred bw\.Flush\(\) discards the error of the buffered writer from bufio\.NewWriter`
	for _, l := range lines {
		bw.WriteString(l)
	}
}

func gzipClosedInDefer(w io.Writer, data []byte) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // want `zw\.Close\(\) discards the error of the gzip writer`
	_, err := zw.Write(data)
	return err
}

func gzipLevel(w io.Writer, data []byte) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	defer zw.Close() // want `zw\.Close\(\)`
	_, err = zw.Write(data)
	return err
}

func zlibWriter(w io.Writer, data []byte) {
	zw := zlib.NewWriter(w)
	defer zw.Close() // want `zlib writer`
	zw.Write(data)
}

func flateWriter(w io.Writer, data []byte) error {
	fw, err := flate.NewWriter(w, flate.DefaultCompression)
	if err != nil {
		return err
	}
	defer fw.Close() // want `flate writer`
	_, err = fw.Write(data)
	return err
}

func zipArchive(w io.Writer, name string, data []byte) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // want `zip writer`
	e, err := zw.Create(name)
	if err != nil {
		return err
	}
	_, err = e.Write(data)
	return err
}

func tarArchive(w io.Writer, data []byte) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // want `tar writer`
	if err := tw.WriteHeader(&tar.Header{Name: "a", Size: int64(len(data)), Mode: 0o644}); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

func csvFlushUnchecked(w io.Writer, rows [][]string) {
	cw := csv.NewWriter(w)
	defer cw.Flush() // want `cw\.Flush\(\) .*cw\.Error\(\)`
	for _, r := range rows {
		cw.Write(r)
	}
}

func closeInClosureDiscarded(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		f.Close() // want `deferred f\.Close\(\) discards`
	}()
	_, err = f.WriteString("x")
	return err
}

func closeInClosureBlank(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // want `f\.Close\(\)`
	_, err = f.WriteString("x")
	return err
}

func createTemp(dir string) (string, error) {
	f, err := os.CreateTemp(dir, "x-*")
	if err != nil {
		return "", err
	}
	defer f.Close() // want `temporary file`
	if _, err := f.WriteString("x"); err != nil {
		return "", err
	}
	return f.Name(), nil
}

func assignedLater(path string) error {
	var f *os.File
	var err error
	f, err = os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\)`
	_, err = f.WriteString("x")
	return err
}

func inLiteral() func(string) error {
	return func(path string) error {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close() // want `deferred f\.Close\(\)`
		_, err = f.WriteString("x")
		return err
	}
}

// The wrapper's Close is checked, but the file's own close error is still dropped.
func wrapperCheckedFileNot(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\)`
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}

// The variable is reused: the first file is only read, the second one is written, and its
// deferred Close drops the error (the first defer checks nothing either).
func transform(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	f, err = os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) discards the error of the file created by os.Create on line \d+`
	_, err = f.Write(data)
	return err
}

// Written through an io.Writer declared from it.
func saveVia(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) discards the error of the file created by os.Create`
	var w io.Writer = f
	_, err = w.Write(data)
	return err
}

// A function with no results: the advice is to check the error itself.
func writeLog(path string, line string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close() // want `deferred f.Close\(\) discards the error of the file created by os.Create on line \d+, .*writeLog returns nothing, so call f.Close\(\) or f.Sync\(\) on the success path and handle its error`
	_, _ = f.WriteString(line)
}
