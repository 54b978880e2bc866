// Package order holds deferred closes registered in an order that closes the underlying
// resource before the wrapper that still has to write into it.
package order

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"compress/zlib"
	"database/sql"
	"encoding/csv"
	"net"
	"os"
)

func gzipThenFile(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close()
	defer f.Close() // want `deferred f\.Close\(\) runs before the deferred zw\.Close\(\) registered on line 23`
	_, err = zw.Write(data)
	return err
}

func bufioOverConn(addr string, msg string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer bw.Flush()
	defer conn.Close() // want `conn\.Close\(\) runs before the deferred bw\.Flush\(\)`
	_, err = bw.WriteString(msg)
	return err
}

func csvOverFile(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	defer cw.Flush()
	defer f.Close() // want `csv writer`
	return cw.WriteAll(rows)
}

func tarOverFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	defer tw.Close()
	defer f.Close() // want `tw\.Close\(\)`
	return tw.WriteHeader(&tar.Header{Name: "a", Mode: 0o644})
}

func zipOverFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer zw.Close()
	defer f.Close() // want `zip writer`
	_, err = zw.Create("a.txt")
	return err
}

// Through two wrappers: the gzip stream is flushed into a buffer that was already flushed.
func chain(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	zw := zlib.NewWriter(bw)
	defer zw.Close()
	defer bw.Flush() // want `bw\.Flush\(\) runs before the deferred zw\.Close\(\)`
	_, err = zw.Write(data)
	return err
}

// The outer wrapper over the file two levels down.
func chainToFile(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	zw := gzip.NewWriter(bw)
	defer zw.Close()
	defer bw.Flush() // want `bw\.Flush\(\)`
	defer f.Close()  // want `f\.Close\(\) runs before the deferred zw\.Close\(\)`
	_, err = zw.Write(data)
	return err
}

func txOverDB(dsn string) error {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	defer db.Close() // want `db\.Close\(\) runs before the deferred tx\.Rollback\(\)`
	if _, err := tx.Exec("DELETE FROM t"); err != nil {
		return err
	}
	return tx.Commit()
}

// Deferred closures: the same order problem.
func closures(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() {
		if err := zw.Close(); err != nil {
			println(err.Error())
		}
	}()
	defer func() {
		f.Close() // want `f\.Close\(\) runs before the deferred zw\.Close\(\)`
	}()
	_, err = zw.Write(data)
	return err
}

// One deferred closure that closes the file first, then the wrapper.
func oneClosureWrongOrder(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() {
		f.Close() // want `f\.Close\(\) runs before zw\.Close\(\) in the same deferred function`
		zw.Close()
	}()
	_, err = zw.Write(data)
	return err
}

func levelWriter(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	defer zw.Close()
	defer f.Close() // want `deferred f\.Close\(\) runs before`
	_, err = zw.Write(data)
	return err
}
