package writes

import (
	"encoding/base64"
	"errors"
	"mime/multipart"
	"os"
)

// The multipart writer's Close writes the closing boundary: its error dropped, the body is cut.
func writeForm(f *os.File, fields map[string]string) error {
	mw := multipart.NewWriter(f)
	defer mw.Close() // want `deferred mw\.Close\(\) discards the error of the multipart writer from mime/multipart\.NewWriter on line \d+`
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			return err
		}
	}
	return nil
}

// Joined into the named result: no finding.
func writeFormChecked(f *os.File, fields map[string]string) (err error) {
	mw := multipart.NewWriter(f)
	defer func() { err = errors.Join(err, mw.Close()) }()
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			return err
		}
	}
	return nil
}

// The encoder's Close writes the last partial block.
func encodeTo(f *os.File, blob []byte) error {
	enc := base64.NewEncoder(base64.StdEncoding, f)
	defer enc.Close() // want `deferred enc\.Close\(\) discards the error of the base64 encoder from encoding/base64\.NewEncoder on line \d+`
	_, err := enc.Write(blob)
	return err
}

// Flags built up in a variable: opened for writing whatever truncate says.
func writePartition(path string, data []byte, truncate bool) error {
	flags := os.O_WRONLY | os.O_CREATE
	if truncate {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file opened for writing by os\.OpenFile on line \d+`
	_, err = f.Write(data)
	return err
}

// Flags that may be replaced by read-only ones: not known to write, no finding.
func readOrWrite(path string, write bool) ([]byte, error) {
	flags := os.O_RDWR
	if !write {
		flags = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 16)
	n, err := f.Read(buf)
	return buf[:n], err
}

type exporter struct{ dir string }

func (e *exporter) createOutput(name string) (*os.File, error) {
	return os.Create(e.dir + "/" + name)
}

// The file comes from a helper of the package that creates it.
func (e *exporter) writeIndex(names []string) error {
	f, err := e.createOutput("INDEX")
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file created by e\.createOutput \(os\.Create inside\) on line \d+`
	for _, n := range names {
		if _, err := f.WriteString(n); err != nil {
			return err
		}
	}
	return nil
}
