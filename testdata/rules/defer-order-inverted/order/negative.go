package order

import (
	"bufio"
	"compress/gzip"
	"database/sql"
	"encoding/csv"
	"io"
	"net"
	"os"
)

// The right order: the file's Close is registered first, so it runs last.
func rightOrder(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	defer zw.Close()
	_, err = zw.Write(data)
	return err
}

func rightOrderBufio(conn net.Conn, msg string) error {
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	defer bw.Flush()
	_, err := bw.WriteString(msg)
	return err
}

func rightOrderTx(db *sql.DB) error {
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return tx.Commit()
}

// Wrapper and file are unrelated.
func unrelated(path string, w io.Writer, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(w)
	defer zw.Close()
	defer f.Close()
	_, err = zw.Write(data)
	return err
}

// The wrapper is closed explicitly before the defers run.
func wrapperClosedExplicitlyNoDefer(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}

// Readers: nothing is flushed at close.
func readers(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	defer f.Close()
	return io.ReadAll(zr)
}

// One closure, right order.
func oneClosureRightOrder(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	defer func() {
		cw.Flush()
		f.Close()
	}()
	return cw.Write([]string{string(data)})
}

// Defers in different functions do not interact.
func separateFunctions(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeCompressed(f)
}

func writeCompressed(w io.Writer) error {
	zw := gzip.NewWriter(w)
	defer zw.Close()
	_, err := zw.Write([]byte("x"))
	return err
}

// A literal's own defers run when the literal returns, before the outer ones.
func literalInside(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return func() error {
		zw := gzip.NewWriter(f)
		defer zw.Close()
		_, err := zw.Write([]byte("x"))
		return err
	}()
}

// The wrapper's defer is on a path that never reaches the file's defer.
func exclusivePaths(path string, compress bool, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if compress {
		zw := gzip.NewWriter(f)
		defer zw.Close()
		_, err = zw.Write(data)
		return err
	}
	defer f.Close()
	_, err = f.Write(data)
	return err
}

// Reset to a different destination before the defers run: the tracking follows the last wrap only.
func wrapperOverOtherFile(a, b string) error {
	fa, err := os.Create(a)
	if err != nil {
		return err
	}
	defer fa.Close()
	fb, err := os.Create(b)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(fb)
	defer zw.Close()
	defer fa.Close()
	defer fb.Close() // want `fb\.Close\(\) runs before the deferred zw\.Close\(\)`
	_, err = zw.Write([]byte("x"))
	return err
}

// The deferred wrapper close is a safety net: the success path closes it explicitly, and
// checks the error, before the file.
func safetyNet(path string, data []byte) error {
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
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
